import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage
import MedLedgerVault

extension LedgerNode {
    /// Releases a report version's data key to `reader`, wrapped to the reader's current
    /// encryption key — only against the reader's committed, granted access receipt for that
    /// version, no older than the key-release window. This is what makes reads leave receipts:
    /// without the committed read transaction there is no key.
    public func releaseKey(report reportID: ReportID, version: ReportVersion, reader: IdentityID) throws -> KeyEnvelope
    {
        guard let readerRecord = state.identity(reader), readerRecord.isActive else {
            throw NodeError(.forbidden, field: "reader", "reader \(reader) is not an active identity")
        }
        // The receipt is looked up before the report, and an unknown report or version gets
        // the same answer as a missing receipt: key release must not reveal which ids exist.
        guard let receipt = try latestGrantedAccess(report: reportID, version: version, reader: reader),
            let record = state.report(reportID)?.version(version)
        else {
            throw NodeError(
                .forbidden, field: "receipt",
                "no committed access receipt for \(reader) on report \(reportID) version \(version); submit an access-report transaction first"
            )
        }
        let age = receiptAgeMilliseconds(receipt.time)
        guard age <= configuration.keyReleaseWindowMilliseconds else {
            throw NodeError(
                .forbidden, field: "receipt",
                "the latest access receipt is \(age / 1000) s old; read again to get a fresh one")
        }
        guard let custodianEnvelope = record.content.envelopes.first(where: { $0.recipient == nodeID }) else {
            throw NodeError(.internalFailure, "version has no envelope for this custodian node")
        }
        do {
            return try ReportCrypto.rewrap(
                custodianEnvelope, custodian: nodeKeys, for: reader,
                readerKey: readerRecord.encryptionKey, report: reportID, version: version)
        } catch {
            throw NodeError(.internalFailure, "could not re-wrap the key: \(error)")
        }
    }

    /// How old a receipt is: the consensus time since it, plus the time this node has gone
    /// without committing a block. Block time alone stands still on a stalled custodian, so
    /// a receipt would never age there; the local monotonic clock keeps it ageing.
    func receiptAgeMilliseconds(_ receiptTime: ConsensusTime) -> UInt64 {
        let onChain = consensusTime.milliseconds - min(consensusTime.milliseconds, receiptTime.milliseconds)
        let stalled = lastCommitInstant.duration(to: .now)
        let stalledMilliseconds =
            UInt64(max(0, stalled.components.seconds)) * 1_000
            + UInt64(max(0, stalled.components.attoseconds) / 1_000_000_000_000_000)
        let (sum, overflow) = onChain.addingReportingOverflow(stalledMilliseconds)
        return overflow ? .max : sum
    }

    /// The newest granted access event of this reader for this version, if any: one
    /// index lookup, however many other events are filed under the reader.
    func latestGrantedAccess(report: ReportID, version: ReportVersion, reader: IdentityID) throws -> IndexedEvent? {
        try store.latestEvent(subject: EventIndexKey.grantedReads(reader: reader, report: report, version: version))
    }

    /// True when `caller` may fetch the report's record, ciphertext and metadata: someone
    /// with a standing relationship (the patient, a guardian, the authoring organization or
    /// its staff with a reporting role), or a reader whose latest granted read rests on a
    /// grant that is still active. Revoking or letting the grant expire ends that view.
    public func mayView(report reportID: ReportID, caller: IdentityID) throws -> Bool {
        guard let report = state.report(reportID), let identity = state.identity(caller), identity.isActive else {
            return false
        }
        if hasStandingRelationship(identity, to: report) { return true }
        guard let latest = try store.latestEvent(subject: EventIndexKey.grantedReads(reader: caller, report: reportID)),
            case .access(_, _, _, _, _, .grant(let grantID)) = latest.event,
            let grant = state.grant(grantID)
        else { return false }
        return grant.status(at: consensusTime) == .active
    }

    /// True when `caller` may see every action on the report (its history): the patient,
    /// a guardian, or the authoring organization's approvers and privacy officers.
    public func mayViewHistory(report reportID: ReportID, caller: IdentityID) -> Bool {
        guard let report = state.report(reportID), let identity = state.identity(caller), identity.isActive else {
            return false
        }
        if caller == report.patient || state.identity(report.patient)?.guardians.contains(caller) == true {
            return true
        }
        return identity.kind == .practitioner && identity.organization == report.organization
            && (identity.has(.approver) || identity.has(.privacyOfficer))
    }

    /// The relationships the contracts accept as a basis for reading without a grant.
    private func hasStandingRelationship(_ identity: IdentityRecord, to report: ReportRecord) -> Bool {
        if identity.id == report.patient { return true }
        if state.identity(report.patient)?.guardians.contains(identity.id) == true { return true }
        if identity.kind == .organization && identity.id == report.organization { return true }
        return identity.kind == .practitioner && identity.organization == report.organization
            && (identity.has(.author) || identity.has(.approver) || identity.has(.reader))
    }

    /// True when `caller` may see the patient's reports, grants and audit trail.
    public func speaksFor(patient: IdentityID, caller: IdentityID) -> Bool {
        guard let record = state.identity(patient), record.kind == .patient else { return false }
        return caller == patient || record.guardians.contains(caller)
    }
}
