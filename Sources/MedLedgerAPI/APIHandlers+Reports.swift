import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

extension APIHandlers {
    static let octetStream = "application/octet-stream"

    /// `PUT /v1/blobs` (signed): stores a report ciphertext; answers its address.
    func putBlob(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        // Who and when before the body: up to 32 MiB is read only for an active identity.
        try await precheckCaller(request)
        let body = try await APIEncoding.readBody(request, limit: Limits.blobMaxBytes)
        let caller = try await caller(request, body: body)
        let address = try await node.putBlob(body, uploader: caller.id)
        return try APIEncoding.json(AddressView(address: address.hex), status: .created)
    }

    /// `GET /v1/reports/{id}` (signed; patient, guardian, authoring organization, or a
    /// reader with a granted receipt).
    func report(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id: ReportID = try PathParameter.opaque(context)
        let caller = try await caller(request, body: [])
        return try APIEncoding.json(ReportView(try await requireMayView(report: id, caller: caller.id)))
    }

    /// `GET /v1/reports/{id}/proof` (signed; whoever may view the report): the report record
    /// at the latest block with its header, certificate and state proof.
    func reportProof(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id: ReportID = try PathParameter.opaque(context)
        let caller = try await caller(request, body: [])
        _ = try await requireMayView(report: id, caller: caller.id)
        guard let (header, versions) = await node.provenReport(id) else {
            throw APIProblem(status: .forbidden, detail: "no access to report \(id)", field: "report")
        }
        return try APIEncoding.json(ProvenReportView(header, versions: versions))
    }

    /// `GET /v1/reports/{id}/blobs/{address}` (signed): the ciphertext of one of the
    /// report's versions.
    func reportBlob(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id: ReportID = try PathParameter.opaque(context)
        let address = try PathParameter.hash(context, "address")
        let caller = try await caller(request, body: [])
        let record = try await requireMayView(report: id, caller: caller.id)
        guard record.versions.contains(where: { $0.content.contentAddress == address }) else {
            throw APIProblem(
                status: .forbidden, detail: "blob \(address) is not a version of report \(id)", field: "address")
        }
        guard let bytes = try node.blobs.get(address) else {
            throw APIProblem(status: .notFound, detail: "blob \(address) is not stored on this node", field: "address")
        }
        return APIEncoding.bytes(bytes, contentType: Self.octetStream)
    }

    /// `GET /v1/reports/{id}/history` (signed; the patient, a guardian, or the authoring
    /// organization's approvers and privacy officers): every event filed under the report,
    /// newest first, in pages.
    func reportHistory(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id: ReportID = try PathParameter.opaque(context)
        let page = try PageQuery(request)
        let caller = try await caller(request, body: [])
        guard await node.mayViewHistory(report: id, caller: caller.id) else {
            throw APIProblem(status: .forbidden, detail: "no access to the history of report \(id)", field: "report")
        }
        let events = try await node.events(subject: id.bytes, before: page.eventCursor(), limit: page.limit)
        return try APIEncoding.json(
            HistoryView(
                report: id.hex, entries: events.events.map(IndexedEventView.init),
                nextCursor: events.next?.description))
    }

    /// `GET /v1/reports/{id}/versions/{version}/content` (signed; whoever may view the
    /// report): the version record with its proof, the data key wrapped to the caller and the
    /// ciphertext, so a read after its committed receipt is one round trip.
    func versionContent(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let id: ReportID = try PathParameter.opaque(context)
        let version = try PathParameter.version(context)
        let caller = try await caller(request, body: [])
        let content = try await node.versionContent(report: id, version: version, caller: caller.id)
        return try APIEncoding.json(VersionContentView(report: id, versionNumber: version, content))
    }

    /// `POST /v1/reports/{id}/versions/{version}/key` (signed): the version's data key
    /// re-wrapped to the caller, against the caller's committed granted access receipt.
    func releaseKey(_ request: Request, _ context: APIRequestContext) async throws -> Response {
        let body = try await APIEncoding.readBody(request, limit: Limits.httpBodyMaxBytes)
        let id: ReportID = try PathParameter.opaque(context)
        let version = try PathParameter.version(context)
        let caller = try await caller(request, body: body)
        let envelope = try await node.releaseKey(report: id, version: version, reader: caller.id)
        return try APIEncoding.json(KeyEnvelopeView(envelope))
    }
}
