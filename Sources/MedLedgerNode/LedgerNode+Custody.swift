import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage
import MedLedgerVault

extension LedgerNode {
    /// Releases a report version's data key to `reader`, wrapped to the reader's current
    /// encryption key — only against the reader's committed, granted access receipt for that
    /// version, no older than the key-release window. This is what makes reads leave receipts:
    /// without the committed read transaction there is no key.
    public func releaseKey(report reportID: ReportID, version: ReportVersion, reader: IdentityID) throws -> KeyEnvelope {
        guard let report = state.report(reportID) else {
            throw NodeError(.notFound, field: "report", "report \(reportID) does not exist")
        }
        guard let record = report.version(version) else {
            throw NodeError(.notFound, field: "version", "report \(reportID) has no version \(version)")
        }
        guard let readerRecord = state.identity(reader), readerRecord.isActive else {
            throw NodeError(.forbidden, field: "reader", "reader \(reader) is not an active identity")
        }
        guard let receipt = try latestGrantedAccess(report: reportID, version: version, reader: reader) else {
            throw NodeError(.forbidden, field: "receipt",
                            "no committed access receipt for \(reader) on report \(reportID) version \(version); submit an access-report transaction first")
        }
        let age = consensusTime.milliseconds - min(consensusTime.milliseconds, receipt.time.milliseconds)
        guard age <= configuration.keyReleaseWindowMilliseconds else {
            throw NodeError(.forbidden, field: "receipt",
                            "the latest access receipt is \(age / 1000) s old; read again to get a fresh one")
        }
        guard let custodianEnvelope = record.content.envelopes.first(where: { $0.recipient == nodeID }) else {
            throw NodeError(.internalFailure, "version has no envelope for this custodian node")
        }
        do {
            return try ReportCrypto.rewrap(custodianEnvelope, custodian: nodeKeys, for: reader,
                                           readerKey: readerRecord.encryptionKey, report: reportID, version: version)
        } catch {
            throw NodeError(.internalFailure, "could not re-wrap the key: \(error)")
        }
    }

    /// The newest granted access event of this reader for this version, if any.
    func latestGrantedAccess(report: ReportID, version: ReportVersion, reader: IdentityID) throws -> IndexedEvent? {
        try store.events(subject: reader.hash.bytes, limit: 100_000).last { indexed in
            guard case .access(let r, let v, _, let who, _, let basis) = indexed.event else { return false }
            return r == report && v == version && who == reader && basis.isGranted
        }
    }

    /// True when `caller` may fetch the report's ciphertext and metadata: the patient, a
    /// guardian, the authoring organization's staff, or a reader holding a granted receipt.
    public func mayView(report reportID: ReportID, caller: IdentityID) throws -> Bool {
        guard let report = state.report(reportID), let identity = state.identity(caller), identity.isActive else {
            return false
        }
        if caller == report.patient { return true }
        if state.identity(report.patient)?.guardians.contains(caller) == true { return true }
        if identity.kind == .practitioner && identity.organization == report.organization { return true }
        if identity.kind == .organization && identity.id == report.organization { return true }
        return try store.events(subject: caller.hash.bytes, limit: 100_000).contains { indexed in
            guard case .access(let r, _, _, let who, _, let basis) = indexed.event else { return false }
            return r == reportID && who == caller && basis.isGranted
        }
    }

    /// True when `caller` may see the patient's reports, grants and audit trail.
    public func speaksFor(patient: IdentityID, caller: IdentityID) -> Bool {
        guard let record = state.identity(patient), record.kind == .patient else { return false }
        return caller == patient || record.guardians.contains(caller)
    }

    /// Stores a report ciphertext sent by a registered identity; returns its address.
    public func putBlob(_ bytes: [UInt8], uploader: IdentityID) throws -> Hash256 {
        guard state.identity(uploader)?.isActive == true else {
            throw NodeError(.forbidden, field: "caller", "only active registered identities may upload")
        }
        guard !bytes.isEmpty, bytes.count <= Limits.blobMaxBytes else {
            throw NodeError(.invalid, field: "body", "blob must be 1-\(Limits.blobMaxBytes) bytes, got \(bytes.count)")
        }
        return try blobs.put(bytes)
    }
}
