import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerContracts
import MedLedgerNode

/// The API's request handlers, grouped by area in extensions (`APIHandlers+Chain`, ...).
/// Holds the node, the metrics and the wall clock used for request signatures.
struct APIHandlers: Sendable {
    let node: LedgerNode
    let metrics: APIMetrics
    /// Read only to check signed requests' timestamps; the contracts never see it.
    let clock: @Sendable () -> WallClockTime

    /// The signed caller of a request; 401 when the request is not signed or the
    /// signature does not hold.
    func caller(_ request: Request, body: [UInt8]) async throws -> IdentityRecord {
        guard let caller = try await optionalCaller(request, body: body) else {
            throw APIProblem(
                status: .unauthorized,
                detail:
                    "this route needs a signed request (\(RequestAuthentication.identityHeader), \(RequestAuthentication.timestampHeader), \(RequestAuthentication.signatureHeader))",
                field: RequestAuthentication.signatureHeader)
        }
        return caller
    }

    /// The signed caller, or nil for an anonymous request. Headers that are present but
    /// wrong are still a 401: a client that meant to sign must learn it failed.
    func optionalCaller(_ request: Request, body: [UInt8]) async throws -> IdentityRecord? {
        let credentials = try RequestAuthentication.credentials(
            identity: header(request, RequestAuthentication.identityHeader),
            timestamp: header(request, RequestAuthentication.timestampHeader),
            signature: header(request, RequestAuthentication.signatureHeader))
        guard let credentials else { return nil }
        return try await RequestAuthentication.verify(
            credentials, method: request.method.rawValue, pathAndQuery: request.uri.string, body: body,
            node: node, now: clock())
    }

    /// The body-free checks of a signed request (see `RequestAuthentication.precheck`); a 401
    /// when the request is unsigned, stale or from no active identity.
    func precheckCaller(_ request: Request) async throws {
        let credentials = try RequestAuthentication.credentials(
            identity: header(request, RequestAuthentication.identityHeader),
            timestamp: header(request, RequestAuthentication.timestampHeader),
            signature: header(request, RequestAuthentication.signatureHeader))
        guard let credentials else {
            throw APIProblem(
                status: .unauthorized, detail: "this route needs a signed request",
                field: RequestAuthentication.signatureHeader)
        }
        _ = try await RequestAuthentication.precheck(credentials, node: node, now: clock())
    }

    private func header(_ request: Request, _ name: String) -> String? {
        let lowered = name.lowercased()
        return request.headers.first { $0.name.canonicalName == lowered }?.value
    }

    /// 403 unless `caller` is the patient or one of the patient's guardians.
    func requireSpeaksFor(patient: IdentityID, caller: IdentityID) async throws {
        guard await node.speaksFor(patient: patient, caller: caller) else {
            throw APIProblem(
                status: .forbidden, detail: "only the patient or a guardian may see this", field: "patient")
        }
    }

    /// 403 unless `caller` may view the report (see `LedgerNode.mayView`).
    func requireMayView(report: ReportID, caller: IdentityID) async throws -> ReportRecord {
        guard try await node.mayView(report: report, caller: caller), let record = await node.report(report) else {
            throw APIProblem(status: .forbidden, detail: "no access to report \(report)", field: "report")
        }
        return record
    }
}
