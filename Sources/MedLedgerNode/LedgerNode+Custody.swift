import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage
import MedLedgerVault

extension LedgerNode {
    /// Releases this custodian's share of a report version's data key to `reader`, sealed to
    /// the reader's current encryption key (the reader needs `Genesis.custodyThreshold` of
    /// them, from as many custodians) — only against the reader's committed, granted access receipt for that
    /// version, no older than the key-release window, and only while what the receipt rested
    /// on still holds in the latest committed state (the grant active, or the standing
    /// relationship unchanged). This is what makes reads leave receipts: without the
    /// committed read transaction there is no key; and what makes revocation close the door
    /// at once: a receipt from before the revocation opens nothing.
    public func releaseKey(report reportID: ReportID, version: ReportVersion, reader: IdentityID) throws -> ReleasedKey
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
        try requireBasisStillHolds(receipt, reader: readerRecord, report: reportID)
        let age = receiptAgeMilliseconds(receipt.time)
        guard age <= configuration.keyReleaseWindowMilliseconds else {
            throw NodeError(
                .forbidden, field: "receipt",
                "the latest access receipt is \(age / 1000) s old; read again to get a fresh one")
        }
        guard let custodianEnvelope = record.content.envelopes.first(where: { $0.recipient == nodeID }),
            let index = validators.validators.firstIndex(where: { $0.id == nodeID })
        else {
            throw NodeError(.internalFailure, "version has no key share for this custodian node")
        }
        let x = UInt8(index + 1)
        let threshold = genesis.custodyThreshold
        do {
            let envelope = try ReportCrypto.rewrapShare(
                custodianEnvelope, custodian: nodeKeys, x: x, threshold: Int(threshold), for: reader,
                readerKey: readerRecord.encryptionKey, report: reportID, version: version)
            return .share(envelope, x: x, threshold: threshold)
        } catch {
            throw NodeError(.internalFailure, "could not re-seal this custodian's key share: \(error)")
        }
    }

    /// Refuses unless the basis of the granted read still holds now: its grant is active at
    /// the latest block's time, or the reader still has the standing relationship the
    /// contracts accepted (a practitioner who lost the reporting role or moved organization
    /// gets nothing more).
    func requireBasisStillHolds(_ receipt: IndexedEvent, reader: IdentityRecord, report reportID: ReportID) throws {
        guard case .access(_, _, _, _, _, let basis, _) = receipt.event, let report = state.report(reportID) else {
            throw NodeError(.forbidden, field: "receipt", "the latest access receipt is not a granted read")
        }
        switch basis {
        case .grant(let grantID):
            guard let grant = state.grant(grantID), grant.status(at: consensusTime) == .active else {
                throw NodeError(
                    .forbidden, field: "grant",
                    "grant \(grantID) behind the access receipt is no longer active; the patient may grant access again"
                )
            }
        case .relationship:
            guard hasStandingRelationship(reader, to: report) else {
                throw NodeError(
                    .forbidden, field: "receipt",
                    "\(reader.id) no longer has the relationship to report \(reportID) the receipt rested on")
            }
        case .denied:
            throw NodeError(.forbidden, field: "receipt", "the latest access receipt is a denial")
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
            case .access(_, _, _, _, _, .grant(let grantID), _) = latest.event,
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
        if caller == report.patient || state.isGuardian(caller, of: report.patient) {
            return true
        }
        return identity.kind == .practitioner && identity.organization == report.organization
            && (identity.has(.approver) || identity.has(.privacyOfficer))
    }

    /// The relationships the contracts accept as a basis for reading without a grant.
    private func hasStandingRelationship(_ identity: IdentityRecord, to report: ReportRecord) -> Bool {
        if identity.id == report.patient { return true }
        if state.isGuardian(identity.id, of: report.patient) { return true }
        if identity.kind == .organization && identity.id == report.organization { return true }
        return identity.kind == .practitioner && identity.organization == report.organization
            && (identity.has(.author) || identity.has(.approver) || identity.has(.reader))
    }

    /// True when `caller` may see the patient's reports, grants and audit trail.
    public func speaksFor(patient: IdentityID, caller: IdentityID) -> Bool {
        guard let record = state.identity(patient), record.kind == .patient else { return false }
        return caller == patient || state.isGuardian(caller, of: patient)
    }
}

extension LedgerNode {
    /// What a client seals new versions for: every validator as a custodian, in
    /// validator-set order (custodian i holds the share at x = i + 1), and the genesis
    /// threshold.
    public nonisolated var custody: ReportCrypto.Custody {
        ReportCrypto.Custody(genesis: genesis)
    }
}
