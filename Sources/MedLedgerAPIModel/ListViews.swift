/// `GET /v1/identities/{id}/nonce`: the nonce the identity's next transaction must carry.
public struct NonceView: Codable, Sendable {
    public let nextNonce: UInt64
    public init(nextNonce: UInt64) { self.nextNonce = nextNonce }
}

/// `PUT /v1/blobs`: where the uploaded blob is stored (its SHA-256).
public struct AddressView: Codable, Sendable {
    public let address: String
    public init(address: String) { self.address = address }
}

/// `GET /v1/patients/{id}/reports`: one page of a patient's reports, newest first.
public struct ReportsView: Codable, Sendable {
    public let patient: String
    public let reports: [ReportView]
    public let nextCursor: String?
    public init(patient: String, reports: [ReportView], nextCursor: String?) {
        self.patient = patient
        self.reports = reports
        self.nextCursor = nextCursor
    }
}

/// `GET /v1/patients/{id}/grants`: one page of a patient's grants in id order, with their
/// status at `time` (the node's consensus time).
public struct GrantsView: Codable, Sendable {
    public let patient: String
    public let time: String
    public let grants: [GrantView]
    public let nextCursor: String?
    public init(patient: String, time: String, grants: [GrantView], nextCursor: String?) {
        self.patient = patient
        self.time = time
        self.grants = grants
        self.nextCursor = nextCursor
    }
}

/// `GET /v1/patients/{id}/audit`: one page of the read attempts on a patient's reports,
/// newest first.
public struct AuditView: Codable, Sendable {
    public let patient: String
    public let entries: [AuditEntryView]
    public let nextCursor: String?
    public init(patient: String, entries: [AuditEntryView], nextCursor: String?) {
        self.patient = patient
        self.entries = entries
        self.nextCursor = nextCursor
    }
}

/// `GET /v1/reports/{id}/history`: one page of a report's events, newest first.
public struct HistoryView: Codable, Sendable {
    public let report: String
    public let entries: [IndexedEventView]
    public let nextCursor: String?
    public init(report: String, entries: [IndexedEventView], nextCursor: String?) {
        self.report = report
        self.entries = entries
        self.nextCursor = nextCursor
    }
}
