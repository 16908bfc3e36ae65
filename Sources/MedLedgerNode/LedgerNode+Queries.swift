import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

/// Where a submitted transaction stands.
public enum TransactionStatus: Sendable {
    case pending
    case committed(StoredTransaction)
    case unknown
}

extension LedgerNode {
    public func identity(_ id: IdentityID) -> IdentityRecord? { state.identity(id) }
    public func report(_ id: ReportID) -> ReportRecord? { state.report(id) }
    public func grant(_ id: GrantID) -> GrantRecord? { state.grant(id) }
    public func grants(ofPatient patient: IdentityID) -> [GrantRecord] { state.grants(ofPatient: patient) }

    /// One page of a patient's grants in id order, after the grant `after` (the previous
    /// page's last), and the id the next page starts after (nil on the last page).
    public func grants(
        ofPatient patient: IdentityID, after: GrantID?,
        limit: Int
    ) -> (grants: [GrantRecord], next: GrantID?) {
        precondition(limit >= 1 && limit <= PageLimits.maxItems)
        let remaining = state.grants(ofPatient: patient).filter { grant in after.map { grant.id > $0 } ?? true }
        let page = Array(remaining.prefix(limit))
        return (page, remaining.count > limit ? page.last?.id : nil)
    }

    /// The nonce a signer should use next (above committed and pending ones).
    public func nextNonce(for signer: IdentityID) -> Nonce {
        // Saturating (`next`): a stored nonce at the top of the range must not trap every node
        // that is asked about it (the contract bounds each step, but rows come from disk too).
        max(state.identity(signer)?.lastNonce ?? 0, mempool.pendingNonce(of: signer) ?? 0).next
    }

    public func block(at height: Height) throws -> StoredBlock? { try store.block(at: height) }

    public func transactionStatus(_ hash: Hash256) throws -> TransactionStatus {
        if let stored = try store.transaction(hash: hash) { return .committed(stored) }
        return mempool.contains(hash) ? .pending : .unknown
    }

    /// Inclusion proof of a committed transaction against its block's transactions root.
    public func inclusionProof(_ hash: Hash256) throws -> (StoredTransaction, BlockHeader, MerkleProof)? {
        guard let stored = try store.transaction(hash: hash), let block = try store.block(at: stored.height) else {
            return nil
        }
        return (stored, block.header, block.block.inclusionProof(index: stored.position))
    }

    /// One page, newest first, of the events filed under an id or index key.
    public func events(
        subject: [UInt8], before: EventCursor? = nil,
        limit: Int = PageLimits.defaultItems
    ) throws -> EventPage {
        let events = try store.events(subject: subject, before: before, limit: limit)
        return EventPage(events: events, limit: limit)
    }

    /// One page, newest first, of a patient's reports (by first submission).
    public func reports(
        ofPatient patient: IdentityID, before: EventCursor? = nil,
        limit: Int = PageLimits.defaultItems
    ) throws -> (reports: [ReportRecord], next: EventCursor?) {
        let page = try events(subject: EventIndexKey.patientReports(patient: patient), before: before, limit: limit)
        let reports = page.events.compactMap { indexed -> ReportRecord? in
            guard case .report(let id, _, let owner, .submitted, _, _) = indexed.event, owner == patient else {
                return nil
            }
            return state.report(id)
        }
        return (reports, page.next)
    }

    /// One page, newest first, of every access attempt (granted or denied) to any of the
    /// patient's reports.
    public func accessTrail(
        ofPatient patient: IdentityID, before: EventCursor? = nil,
        limit: Int = PageLimits.defaultItems
    ) throws -> EventPage {
        try events(subject: EventIndexKey.auditTrail(patient: patient), before: before, limit: limit)
    }

    /// Waits for `hash` to be committed, woken by the commit itself (no polling).
    /// - Returns: the committed transaction, or nil when it is not committed within `timeout`.
    public nonisolated func waitForCommit(_ hash: Hash256, timeout: Duration = .seconds(10)) async throws
        -> StoredTransaction?
    {
        let ticket = commits.register(hash)
        if case .committed(let stored) = try await transactionStatus(hash) {
            commits.cancel(ticket)
            return stored
        }
        guard await commits.wait(ticket, timeout: timeout) else { return nil }
        if case .committed(let stored) = try await transactionStatus(hash) { return stored }
        return nil
    }
}

extension LedgerNode {
    /// The state entry at the latest block, proven; nil before block 1 or when there is none.
    public func provenEntry(_ key: StateKey) -> ProvenEntry? {
        guard let latestHeader, let latestCertificate, let (value, proof) = state.provenEntry(key) else { return nil }
        precondition(
            proof.verifies(key: key.bytes, value: value, stateRoot: latestHeader.stateRoot),
            "a proof from our own state verifies against our own header")
        return ProvenEntry(header: latestHeader, certificate: latestCertificate, value: value, proof: proof)
    }
}

extension LedgerNode {
    /// A report's header and every version, each proven against the same latest header.
    public func provenReport(_ id: ReportID) -> (header: ProvenEntry, versions: [ProvenEntry])? {
        guard let record = state.report(id), let header = provenEntry(.report(id)) else { return nil }
        let versions = record.versions.compactMap { provenEntry(.reportVersion(id, $0.version)) }
        guard versions.count == record.versions.count else { return nil }
        return (header, versions)
    }
}

extension LedgerNode {
    /// The patient's guardians, with the guardians entry proven when there is one (none when
    /// the list is empty, or before the entry is in a certified block).
    public func guardians(ofPatient patient: IdentityID) -> (guardians: [IdentityID], proven: ProvenEntry?) {
        let proven = provenEntry(.guardians(patient))
        return (state.guardians(of: patient).guardians, proven)
    }
}
