import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import MedLedgerNode
import OpenAPIRuntime

extension LedgerAPI {
    /// Stores a report ciphertext (signed); answers its address. `SignedRequestMiddleware`
    /// has checked who and when before it read the body.
    func putBlob(_ input: Operations.PutBlob.Input) async throws -> Operations.PutBlob.Output {
        let caller = try await caller()
        let address = try await node.putBlob(try incoming().body, uploader: caller.id)
        return .created(.init(body: .json(.init(address: address.hex))))
    }

    /// A report and its versions (signed; patient, guardian, authoring organization, or a
    /// reader with a granted receipt).
    func getReport(_ input: Operations.GetReport.Input) async throws -> Operations.GetReport.Output {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let caller = try await caller()
        let record = try await requireMayView(report: id, caller: caller.id)
        let holders = await node.blobHolders(report: id)
        return .ok(.init(body: .json(.init(record, holders: { holders[$0] ?? [] }))))
    }

    /// The report record at the latest block with its header, certificate and state proofs
    /// (signed; whoever may view the report).
    func getReportProof(_ input: Operations.GetReportProof.Input) async throws -> Operations.GetReportProof.Output {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let caller = try await caller()
        _ = try await requireMayView(report: id, caller: caller.id)
        guard let (header, versions) = await node.provenReport(id) else {
            throw APIProblem(status: .forbidden, detail: "no access to report \(id)", field: "report")
        }
        return .ok(.init(body: .json(.init(header, versions: versions))))
    }

    /// The ciphertext of one of the report's versions (signed).
    func getReportBlob(_ input: Operations.GetReportBlob.Input) async throws -> Operations.GetReportBlob.Output {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let address = try Parameter.hash(input.path.address, "address")
        let caller = try await caller()
        let record = try await requireMayView(report: id, caller: caller.id)
        guard record.versions.contains(where: { $0.content.contentAddress == address }) else {
            throw APIProblem(
                status: .forbidden, detail: "blob \(address) is not a version of report \(id)", field: "address")
        }
        try await node.ensureBlobStored(address)
        guard let bytes = try node.blobs.get(address) else {
            throw APIProblem(status: .notFound, detail: "blob \(address) is not stored on this node", field: "address")
        }
        return .ok(.init(body: .binary(HTTPBody(bytes))))
    }

    /// Every event filed under the report, newest first, in pages (signed; the patient, a
    /// guardian, or the authoring organization's approvers and privacy officers).
    func getReportHistory(_ input: Operations.GetReportHistory.Input) async throws
        -> Operations.GetReportHistory.Output
    {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let page = try PageQuery(limit: input.query.limit, cursor: input.query.cursor)
        let caller = try await caller()
        guard await node.mayViewHistory(report: id, caller: caller.id) else {
            throw APIProblem(status: .forbidden, detail: "no access to the history of report \(id)", field: "report")
        }
        let events = try await node.events(subject: id.bytes, before: page.eventCursor(), limit: page.limit)
        return .ok(
            .init(
                body: .json(
                    .init(
                        report: id.hex, nextCursor: events.next?.description,
                        entries: events.events.map(Components.Schemas.IndexedEvent.init)))))
    }

    /// One version ready to open: the version record with its proof, the data key wrapped to
    /// the caller and the ciphertext, so a read after its committed receipt is one round trip
    /// (signed; whoever may view the report).
    func getVersionContent(_ input: Operations.GetVersionContent.Input) async throws
        -> Operations.GetVersionContent.Output
    {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let version = try Parameter.version(input.path.version)
        let caller = try await caller()
        // A blob this node should have but lacks (not replicated yet, lost, or never ours) is
        // fetched from peers first, within the storage policy.
        if let address = try await requireMayView(report: id, caller: caller.id).version(version)?.content
            .contentAddress
        {
            try await node.ensureBlobStored(address)
        }
        let content = try await node.versionContent(report: id, version: version, caller: caller.id)
        return .ok(.init(body: .json(.init(report: id, versionNumber: version, content))))
    }

    /// The version's data key re-wrapped to the caller, against the caller's committed
    /// granted access receipt (signed).
    func releaseKey(_ input: Operations.ReleaseKey.Input) async throws -> Operations.ReleaseKey.Output {
        let id: ReportID = try Parameter.opaque(input.path.id)
        let version = try Parameter.version(input.path.version)
        let caller = try await caller()
        let envelope = try await node.releaseKey(report: id, version: version, reader: caller.id)
        return .ok(.init(body: .json(.init(envelope))))
    }
}
