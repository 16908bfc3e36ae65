import MedLedgerContracts
import MedLedgerCore

/// What an organization's access log may be filtered by; nil matches everything.
public struct AccessLogFilter: Sendable {
    public var patient: IdentityID?
    public var practitioner: IdentityID?
    public var purpose: Purpose?
    /// true: allowed reads only; false: denied reads only.
    public var allowed: Bool?
    public var from: ConsensusTime?
    public var to: ConsensusTime?

    public init(
        patient: IdentityID? = nil, practitioner: IdentityID? = nil, purpose: Purpose? = nil, allowed: Bool? = nil,
        from: ConsensusTime? = nil, to: ConsensusTime? = nil
    ) {
        self.patient = patient
        self.practitioner = practitioner
        self.purpose = purpose
        self.allowed = allowed
        self.from = from
        self.to = to
    }

    func matches(_ indexed: IndexedEvent) -> Bool {
        guard case .access(_, _, let owner, let reader, let why, let basis, _) = indexed.event else { return false }
        if let patient, owner != patient { return false }
        if let practitioner, reader != practitioner { return false }
        if let purpose, why != purpose { return false }
        if let allowed, basis.isGranted != allowed { return false }
        if let from, indexed.time < from { return false }
        if let to, indexed.time > to { return false }
        return true
    }
}

/// A page of a filtered list: the matches, where the next page starts (nil at the end) and
/// how many index rows were read to find them.
public struct FilteredEventPage: Sendable {
    public let events: [IndexedEvent]
    public let next: EventCursor?
    public let scanned: Int
}

extension LedgerNode {
    /// The most index rows one filtered page reads. A page that reaches it comes back short,
    /// with `next` set where the scan stopped: never unbounded work, never a silent cut.
    public static let filteredScanMaxRows = 2_000

    /// True when `caller` may see the organization's lists: the organization's own key, or
    /// an active practitioner of it with `privacy-officer` or `admin`.
    public func mayOverseeOrganization(_ organization: IdentityID, caller: IdentityID) -> Bool {
        guard let record = state.identity(caller), record.isActive else { return false }
        return record.overseenOrganization == organization
    }

    /// Reads newest first from `subject`, keeping the events `keep` accepts, until `limit`
    /// are kept or `scanMax` rows are read.
    func filteredEvents(
        subject: [UInt8], before: EventCursor?, limit: Int, scanMax: Int = LedgerNode.filteredScanMaxRows,
        keep: (IndexedEvent) -> Bool
    ) throws -> FilteredEventPage {
        precondition(limit >= 1 && limit <= PageLimits.maxItems && scanMax >= 1)
        var kept: [IndexedEvent] = []
        var cursor = before
        var scanned = 0
        while scanned < scanMax {
            let batch = min(PageLimits.maxItems, scanMax - scanned)
            let rows = try store.events(subject: subject, before: cursor, limit: batch)
            for row in rows {
                scanned += 1
                cursor = row.cursor
                if keep(row) {
                    kept.append(row)
                    if kept.count == limit {
                        // More may follow: the next page starts after this row.
                        return FilteredEventPage(events: kept, next: row.cursor, scanned: scanned)
                    }
                }
            }
            if rows.count < batch { return FilteredEventPage(events: kept, next: nil, scanned: scanned) }
        }
        return FilteredEventPage(events: kept, next: cursor, scanned: scanned)
    }

    /// One page of every read by the organization's practitioners, allowed or denied.
    public func accessLog(
        ofOrganization organization: IdentityID, filter: AccessLogFilter, before: EventCursor?, limit: Int,
        scanMax: Int = LedgerNode.filteredScanMaxRows
    ) throws -> FilteredEventPage {
        try filteredEvents(
            subject: EventIndexKey.accessLog(organization: organization), before: before, limit: limit,
            scanMax: scanMax, keep: filter.matches)
    }

    /// One page, newest registration first, of the organization's practitioners (current records).
    public func practitioners(
        ofOrganization organization: IdentityID, before: EventCursor?, limit: Int
    ) throws -> (practitioners: [IdentityRecord], next: EventCursor?) {
        let page = try events(
            subject: EventIndexKey.practitioners(organization: organization), before: before, limit: limit)
        let records = page.events.compactMap { indexed -> IdentityRecord? in
            guard case .identityRegistered(let id, _, _) = indexed.event else { return nil }
            return state.identity(id)
        }
        return (records, page.next)
    }

    /// One page of the organization's cases, newest opened first, optionally only those in
    /// `status` now.
    public func cases(
        ofOrganization organization: IdentityID, status: CaseStatus?, before: EventCursor?, limit: Int
    ) throws -> (cases: [CaseRecord], next: EventCursor?) {
        try openedCases(subject: EventIndexKey.cases(organization: organization), status: status, before, limit)
    }

    /// One page of the cases the patient (or a guardian) opened, newest first.
    public func cases(ofPatient patient: IdentityID, before: EventCursor?, limit: Int) throws -> (
        cases: [CaseRecord], next: EventCursor?
    ) {
        try openedCases(subject: EventIndexKey.cases(patient: patient), status: nil, before, limit)
    }

    /// Each case once, by the event that opened it; its record is read from state.
    private func openedCases(
        subject: [UInt8], status: CaseStatus?, _ before: EventCursor?, _ limit: Int
    ) throws -> (cases: [CaseRecord], next: EventCursor?) {
        let page = try filteredEvents(subject: subject, before: before, limit: limit) { indexed in
            guard case .caseChanged(let id, _, _, _, .open) = indexed.event, let record = state.case(id) else {
                return false
            }
            return status.map { record.status == $0 } ?? true
        }
        let records = page.events.compactMap { indexed -> CaseRecord? in
            guard case .caseChanged(let id, _, _, _, _) = indexed.event else { return nil }
            return state.case(id)
        }
        return (records, page.next)
    }

    public func `case`(_ id: CaseID) -> CaseRecord? { state.case(id) }

    /// True when `caller` may see the case: its patient or a guardian, or the overseers of
    /// its organization (key, privacy officers, admins).
    public func mayView(case record: CaseRecord, caller: IdentityID) -> Bool {
        speaksFor(patient: record.patient, caller: caller)
            || mayOverseeOrganization(record.organization, caller: caller)
    }
}

/// One line of a practitioner's worklist: a report and where it stands.
public struct WorklistReport: Sendable {
    public let report: ReportRecord
    /// The event that put it on the list (grant or submission), for its time.
    public let listedAt: ConsensusTime
}

/// An active grant that lets the practitioner (or its organization) read.
public struct WorklistGrant: Sendable {
    public let grant: GrantRecord
    /// The reports the grant names (for `reports` scopes), as they stand now.
    public let reports: [ReportRecord]
}

extension LedgerNode {
    /// Active grants to the practitioner, and to its organization when it has `reader`;
    /// newest first. The two index lists are read up to one shared cursor, so paging
    /// through them together is exact.
    public func sharedWith(
        practitioner: IdentityRecord, before: EventCursor?, limit: Int
    ) throws -> (grants: [WorklistGrant], next: EventCursor?) {
        var subjects = [EventIndexKey.grants(grantee: practitioner.id)]
        if practitioner.has(.reader), let organization = practitioner.organization {
            subjects.append(EventIndexKey.grants(grantee: organization))
        }
        let time = consensusTime
        var rows: [IndexedEvent] = []
        var more = false
        for subject in subjects {
            let page = try events(subject: subject, before: before, limit: limit)
            rows += page.events
            more = more || page.next != nil
        }
        rows.sort { ($0.height, $0.position, $0.eventIndex) > ($1.height, $1.position, $1.eventIndex) }
        if rows.count > limit {
            rows = Array(rows.prefix(limit))
            more = true
        }
        let grants = rows.compactMap { indexed -> WorklistGrant? in
            guard case .grantChanged(let id, _, _, true) = indexed.event, let grant = state.grant(id),
                grant.status(at: time) == .active
            else { return nil }
            let reports: [ReportRecord]
            if case .reports(let ids) = grant.scope {
                reports = ids.compactMap { state.report($0) }
            } else {
                reports = []
            }
            return WorklistGrant(grant: grant, reports: reports)
        }
        return (grants, more ? rows.last?.cursor : nil)
    }

    /// Reports of the practitioner's organization whose latest version waits for approval,
    /// newest first; empty unless the practitioner has `approver`. Each report appears once,
    /// by the event of its latest version.
    public func awaitingApproval(
        practitioner: IdentityRecord, before: EventCursor?, limit: Int
    ) throws -> (reports: [WorklistReport], next: EventCursor?) {
        guard practitioner.has(.approver), let organization = practitioner.organization else { return ([], nil) }
        let page = try events(
            subject: EventIndexKey.pendingReports(organization: organization), before: before, limit: limit)
        let reports = page.events.compactMap { indexed -> WorklistReport? in
            guard case .report(let id, let version, _, _, _, _) = indexed.event, let report = state.report(id),
                report.latest.version == version, report.latest.status == .preliminary
            else { return nil }
            return WorklistReport(report: report, listedAt: indexed.time)
        }
        return (reports, page.next)
    }
}
