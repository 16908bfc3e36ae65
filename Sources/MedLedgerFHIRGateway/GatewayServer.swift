import Foundation
import HTTPTypes
import Hummingbird
import Logging
import MedLedgerClient
import MedLedgerCore
import MedLedgerHTTPLimits
import NIOCore

/// The gateway's HTTP side: plain FHIR R4 JSON under `/fhir` for the organization's EHR, on
/// its own network. With a client token, every request but `GET /fhir/metadata` must carry
/// it (`Authorization: Bearer …`); `medledger fhir gateway` insists on one unless it listens
/// on the loopback interface only.
public enum GatewayServer {
    /// Bodies larger than this are refused with 413 before they are parsed.
    public static let bodyMaxBytes = 8 * 1024 * 1024
    /// Which request header names the purpose of a read (`_purpose` in the query does too).
    public static let purposeHeader = "X-MedLedger-Purpose"
    static let fhirJSON = "application/fhir+json; charset=utf-8"

    /// Serves until cancelled; `onListening` gets the bound port. Its connections are bounded
    /// as the node's API's are (`APIConnectionLimits`): the EHR on the other side is one
    /// client, but so is anything else on its network that can reach the port.
    public static func run(
        service: FHIRGatewayService, host: String, port: Int, clientToken: String? = nil, logger: Logger,
        limits: APIConnectionLimits = .standard, onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        let app = Application(
            router: router(service, clientToken: clientToken), server: .gatedHTTP1(limits: limits),
            configuration: .init(address: .hostname(host, port: port), serverName: "MedLedger-FHIR-Gateway"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }

    static func router(_ service: FHIRGatewayService, clientToken: String? = nil) -> Router<BasicRequestContext> {
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: OutcomeMiddleware())
        if let clientToken { router.add(middleware: ClientTokenMiddleware(token: clientToken)) }
        router.get("/fhir/metadata") { _, _ in respond(200, capabilityStatement()) }
        router.post("/fhir") { request, _ in
            let bundle = try await body(request)
            return respond(200, try await service.transaction(bundle))
        }
        router.post("/fhir/:type") { request, context in
            let type = try context.parameters.require("type")
            let resource = try await body(request, type: type)
            switch type {
            case "DiagnosticReport", "DocumentReference":
                let result = try await service.create(
                    resource, ifNoneExist: request.headers[HTTPField.Name("If-None-Exist")!])
                return written(result)
            case "Patient": return respond(200, try service.registerPatient(resource))
            case "Consent": return respond(201, try await service.createConsent(resource))
            default: throw unsupported(type)
            }
        }
        router.get("/fhir/:type") { request, context in
            let type = try context.parameters.require("type")
            let query = request.uri.queryParameters.map { (String($0.key), String($0.value)) }
            switch type {
            case "DiagnosticReport", "DocumentReference":
                return respond(200, try await service.search(type: type, query: query, base: base(request, type)))
            case "Patient":
                return respond(200, try patientSearch(service, query))
            default: throw unsupported(type)
            }
        }
        router.get("/fhir/:type/:id") { request, context in
            try await read(service, request, context, version: nil)
        }
        router.get("/fhir/:type/:id/_history/:version") { request, context in
            let text = try context.parameters.require("version")
            guard let version = UInt32(text), version > 0 else {
                throw FHIRProblem(404, .notFound, "version \(text) is not a version number")
            }
            return try await read(service, request, context, version: version)
        }
        router.put("/fhir/:type/:id") { request, context in
            let type = try context.parameters.require("type")
            guard ReportIntake.reportTypes.contains(type) else { throw unsupported(type) }
            let resource = try await body(request, type: type)
            return written(
                try await service.update(
                    type: type, id: try context.parameters.require("id"), resource,
                    ifMatch: request.headers[.ifMatch]))
        }
        // A parameter, not a constant `Consent` segment: the router's tree would then match
        // `POST /fhir/Consent` to the constant and miss the `:type` route.
        router.delete("/fhir/:type/:id") { _, context in
            let type = try context.parameters.require("type")
            guard type == "Consent" else {
                throw FHIRProblem(405, .notSupported, "the gateway deletes only Consents (revoking the grant)")
            }
            try await service.deleteConsent(id: try context.parameters.require("id"))
            return Response(status: .noContent)
        }
        return router
    }

    static func read(
        _ service: FHIRGatewayService, _ request: Request, _ context: BasicRequestContext, version: UInt32?
    ) async throws -> Response {
        let type = try context.parameters.require("type")
        guard ReportIntake.reportTypes.contains(type) else { throw unsupported(type) }
        let result = try await service.read(
            type: type, id: try context.parameters.require("id"), version: version, purpose: try purpose(request))
        return written(result)
    }

    /// `_purpose` in the query or the `X-MedLedger-Purpose` header: treatment (default),
    /// research, emergency, payment, legal, or the v3 codes TREAT, HRESCH, ETREAT, HPAYMT, HLEGAL.
    static func purpose(_ request: Request) throws -> Purpose {
        let text =
            request.uri.queryParameters.get("_purpose")
            ?? request.headers[HTTPField.Name(purposeHeader)!]
        guard let text else { return .treatment }
        guard let purpose = FHIRGatewayService.purposeCodes[text] ?? Purpose(name: text) else {
            throw FHIRProblem(
                400, .value, "unknown purpose \(text): one of \(Purpose.allNames.joined(separator: ", "))",
                expression: "_purpose")
        }
        return purpose
    }

    static func patientSearch(_ service: FHIRGatewayService, _ query: [(String, String)]) throws -> FHIRValue {
        guard query.count == 1, query[0].0 == "identifier" else {
            throw FHIRProblem(
                400, .notSupported, "Patient is searched by identifier=system|value only",
                expression: query.first { $0.0 != "identifier" }?.0 ?? "identifier")
        }
        let found = try service.findPatient(identifier: query[0].1)
        return .object([
            "resourceType": .string("Bundle"), "type": .string("searchset"), "total": .integer(found == nil ? 0 : 1),
            "entry": .array(
                found.map {
                    [
                        .object([
                            "resource": FHIRGatewayService.pseudonymousPatient($0),
                            "search": .object(["mode": .string("match")]),
                        ])
                    ]
                } ?? []),
        ])
    }

    /// The request's body as JSON, bounded, of the URL's resource type when one is given.
    static func body(_ request: Request, type: String? = nil) async throws -> FHIRValue {
        let contentType = request.headers[.contentType]?.lowercased() ?? ""
        guard contentType.hasPrefix("application/fhir+json") || contentType.hasPrefix("application/json") else {
            throw FHIRProblem(
                415, .notSupported, "send application/fhir+json (or application/json), not \(contentType)",
                expression: "Content-Type")
        }
        let buffer: ByteBuffer
        do {
            buffer = try await request.body.collect(upTo: bodyMaxBytes)
        } catch {
            throw FHIRProblem(413, .tooCostly, "the body is over \(bodyMaxBytes) bytes")
        }
        let resource = try FHIRValue.parse(buffer.readableBytesView)
        if let type, resource.resourceType != type {
            throw FHIRProblem(
                400, .invalid, "the URL says \(type), the body is \(resource.resourceType ?? "no resource")",
                expression: "resourceType")
        }
        return resource
    }

    static func base(_ request: Request, _ type: String) -> String {
        let host = request.head.authority ?? "localhost"
        return "http://\(host)/fhir/\(type)"
    }

    static func unsupported(_ type: String) -> FHIRProblem {
        FHIRProblem(404, .notSupported, "the gateway does not serve \(type); see GET /fhir/metadata")
    }

    static func written(_ result: WriteResult) -> Response {
        var response = respond(result.status, result.resource)
        response.headers[.eTag] = "W/\"\(result.version)\""
        if result.status == 201 { response.headers[.location] = result.location }
        if let updated = result.resource["meta"]?["lastUpdated"]?.string { response.headers[.lastModified] = updated }
        return response
    }

    static func respond(_ status: Int, _ resource: FHIRValue) -> Response {
        Response(
            status: .init(code: status), headers: [.contentType: fhirJSON],
            body: .init(byteBuffer: ByteBuffer(bytes: resource.encoded())))
    }

    static func capabilityStatement() -> FHIRValue {
        func resource(_ type: String, _ interactions: [String], _ params: [String]) -> FHIRValue {
            let searchParams: [FHIRValue] = params.map { name in
                let kind = ["patient", "subject"].contains(name) ? "reference" : name == "date" ? "date" : "token"
                return .object(["name": .string(name), "type": .string(kind)])
            }
            return .object([
                "type": .string(type),
                "interaction": .array(interactions.map { .object(["code": .string($0)]) }),
                "searchParam": .array(searchParams),
                "conditionalCreate": .bool(ReportIntake.reportTypes.contains(type)),
                "versioning": .string("versioned-update"),
            ])
        }
        let reportParams = FHIRGatewayService.facadeParameters.union(["identifier", "_id"]).sorted()
            .filter { !$0.hasPrefix("_") || $0 == "_id" }
        return .object([
            "resourceType": .string("CapabilityStatement"), "status": .string("active"),
            "date": .string("2026-11-30"), "kind": .string("instance"), "fhirVersion": .string("4.0.1"),
            "format": .array([.string("application/fhir+json"), .string("json")]),
            "software": .object(["name": .string("MedLedger FHIR gateway")]),
            "implementation": .object(["description": .string("MedLedger FHIR gateway")]),
            "rest": .array([
                .object([
                    "mode": .string("server"),
                    "interaction": .array([.object(["code": .string("transaction")])]),
                    "resource": .array([
                        resource(
                            "DiagnosticReport", ["create", "read", "vread", "update", "search-type"], reportParams),
                        resource(
                            "DocumentReference", ["create", "read", "vread", "update", "search-type"], reportParams),
                        resource("Patient", ["create", "search-type"], ["identifier"]),
                        resource("Consent", ["create", "delete"], []),
                    ]),
                ])
            ]),
        ])
    }
}

/// Every error below it as an OperationOutcome with its status: the gateway's own refusals,
/// the ledger's (403 for a denied or refused transaction), unknown routes (404).
struct OutcomeMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let answer as NodeFHIRSearch.Answer {
            // The node's facade refused a search: its OperationOutcome and status as they are.
            return GatewayServer.respond(answer.status, answer.body)
        } catch {
            let problem = Self.problem(error)
            if problem.status >= 500 { context.logger.error("\(request.method) \(request.uri.path): \(error)") }
            return GatewayServer.respond(problem.status, problem.outcome)
        }
    }

    static func problem(_ error: any Error) -> FHIRProblem {
        if let error = error as? HTTPError {
            return FHIRProblem(
                Int(error.status.code), error.status.code == 404 ? .notFound : .processing,
                error.body ?? error.status.reasonPhrase)
        }
        return FHIRProblem.from(error)
    }
}
