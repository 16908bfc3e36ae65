import Foundation
import HTTPTypes
import Hummingbird
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

/// The FHIR R4 facade under `/fhir`, routed by hand like the other meta routes: read-only
/// views of what the ledger knows, for a bearer token's identity (see `FHIRAuth`).
struct FHIRRoutes: Sendable {
    let node: LedgerNode
    let auth: FHIRAuth
    /// `http` or `https`: how clients reach the node (see `buildRouter`).
    let scheme: String

    init(node: LedgerNode, clock: @escaping @Sendable () -> WallClockTime, scheme: String) {
        self.node = node
        self.scheme = scheme
        auth = FHIRAuth(node: node, tokens: FHIRTokens(), clock: clock)
    }

    func register(on router: Router<APIRequestContext>) {
        router.get("/fhir/metadata") { request, _ in
            await FHIRResponse.guarded {
                try Self.requireJSON(request)
                let date = String(await node.consensusTime.description.prefix(10))
                return try FHIRResponse.resource(
                    FHIRCapabilities.statement(date: date, baseURL: baseURL(request)))
            }
        }
        router.get("/fhir/.well-known/smart-configuration") { request, _ in
            FHIRAuth.json(
                [
                    "token_endpoint": baseURL(request) + "/fhir/auth/token",
                    "grant_types_supported": ["client_credentials"],
                    "token_endpoint_auth_methods_supported": ["private_key_jwt"],
                    "token_endpoint_auth_signing_alg_values_supported": ["EdDSA"],
                    "scopes_supported": ["system/*.read"], "capabilities": ["client-confidential-asymmetric"],
                ], status: .ok)
        }
        router.post("/fhir/auth/token") { request, _ in
            await auth.token(request, tokenURL: baseURL(request) + "/fhir/auth/token")
        }
        router.get("/fhir/:type") { request, context in
            await FHIRResponse.guarded {
                let (spec, caller) = try await prepare(request, context)
                return try await search(spec, request: request, caller: caller)
            }
        }
        router.get("/fhir/:type/:id") { request, context in
            await FHIRResponse.guarded {
                let (spec, caller) = try await prepare(request, context)
                return try await read(
                    spec, id: context.parameters.get("id") ?? "", version: nil, caller: caller, request)
            }
        }
        router.get("/fhir/:type/:id/_history/:vid") { request, context in
            await FHIRResponse.guarded {
                let (spec, caller) = try await prepare(request, context)
                guard spec.versioned else {
                    throw FHIRFailure(.badRequest, "not-supported", "\(spec.type) is served without versions")
                }
                guard let text = context.parameters.get("vid"), text.count <= 10, let number = UInt32(text), number >= 1
                else { throw FHIRFailure.invalid("the version id must be a positive integer", parameter: "vid") }
                return try await read(
                    spec, id: context.parameters.get("id") ?? "", version: ReportVersion(number), caller: caller,
                    request)
            }
        }
    }

    /// The resource type's spec (404 for one not served) and the token's identity.
    func prepare(_ request: Request, _ context: APIRequestContext) async throws -> (FHIRResourceSpec, IdentityID) {
        try Self.requireJSON(request)
        let type = context.parameters.get("type") ?? ""
        guard let spec = FHIRCapabilities.spec(type) else {
            throw FHIRFailure(
                .notFound, "not-supported",
                "resource type \(type.prefix(64)) is not served (see /fhir/metadata)")
        }
        return (spec, try await auth.caller(request))
    }

    /// Refuses (406) a request whose `Accept` admits no JSON: the facade serves only
    /// `application/fhir+json`, and a client asking for XML should learn so, not get JSON.
    static func requireJSON(_ request: Request) throws {
        guard let accept = request.headers[.accept], !accept.isEmpty else { return }
        let admitsJSON = accept.split(separator: ",").contains { item in
            let type = item.split(separator: ";").first?.trimmingCharacters(in: .whitespaces).lowercased() ?? ""
            return type == "*/*" || type == "application/*" || type.hasSuffix("json")
        }
        guard admitsJSON else {
            throw FHIRFailure(
                .notAcceptable, "not-supported", "only application/fhir+json is served, not \(accept.prefix(100))",
                expression: "Accept")
        }
    }

    /// `scheme://authority` of the request, for absolute links (bounded: a long Host is cut).
    func baseURL(_ request: Request) -> String {
        let authority = String((request.head.authority ?? "localhost").prefix(256))
        return "\(scheme)://\(authority)"
    }

    /// A mapper whose references know the kinds of `ids`.
    func mapper(_ request: Request, ids: some Sequence<IdentityID>) async -> FHIRMapper {
        var kinds: [IdentityID: IdentityKind] = [:]
        for id in Set(ids) {
            if let kind = await node.identity(id)?.kind { kinds[id] = kind }
        }
        let known = kinds
        return FHIRMapper(baseURL: baseURL(request)) { known[$0] }
    }

    static func ids(in report: ReportRecord) -> [IdentityID] {
        [report.patient, report.organization] + report.versions.flatMap { [$0.author] + $0.approvals.map(\.approver) }
    }
}
