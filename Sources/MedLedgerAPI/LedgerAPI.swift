import Hummingbird
import MedLedgerAPIModel
import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode

/// The JSON API: the generated `APIProtocol` (from `openapi.json`) answered from a node.
/// Grouped by area in extensions (`LedgerAPI+Chain`, ...). Signed requests are checked here,
/// from what `SignedRequestMiddleware` captured (`IncomingRequest.current`).
struct LedgerAPI: APIProtocol {
    let node: LedgerNode
    /// Read only to check signed requests' timestamps; the contracts never see it.
    let clock: @Sendable () -> WallClockTime
    /// The bound on `GET /v1/blocks/{height}?wait=` requests in progress.
    let blockWaits: BlockWaits

    /// The request this task handles, as `SignedRequestMiddleware` captured it.
    func incoming() throws -> IncomingRequest {
        guard let incoming = IncomingRequest.current else {
            throw APIProblem(status: .internalServerError, detail: "the request was not captured for authentication")
        }
        return incoming
    }

    /// The signed caller of a request; 401 when the request is not signed or the signature
    /// does not hold.
    func caller() async throws -> IdentityRecord {
        guard let caller = try await optionalCaller() else {
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
    func optionalCaller() async throws -> IdentityRecord? {
        let request = try incoming()
        guard let credentials = try request.credentials() else { return nil }
        return try await RequestAuthentication.verify(
            credentials, method: request.method, pathAndQuery: request.pathAndQuery, body: request.body,
            node: node, now: clock())
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
