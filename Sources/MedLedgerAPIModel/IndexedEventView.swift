import MedLedgerCore

/// One entry of a history (`GET /v1/reports/{id}/history`): an indexed event with where and
/// when it happened, and its canonical bytes so a client can rebuild it exactly.
public struct IndexedEventView: Codable, Sendable {
    public let height: UInt64
    public let position: Int
    public let eventIndex: Int
    public let time: String
    public let timeMs: UInt64
    public let transaction: String?
    public let event: EventView
    /// Base64 of `LedgerEvent.canonicalBytes`.
    public let canonical: String

    public init(_ indexed: IndexedEvent) {
        height = indexed.height.rawValue
        position = indexed.position
        eventIndex = indexed.eventIndex
        time = indexed.time.description
        timeMs = indexed.time.milliseconds
        transaction = indexed.transactionHash?.hex
        event = EventView(indexed.event)
        canonical = indexed.event.canonicalBytes.base64
    }
}

/// One entry of a patient's audit trail (`GET /v1/patients/{id}/audit`): a read attempt.
public struct AuditEntryView: Codable, Sendable {
    public let height: UInt64
    public let position: Int
    public let eventIndex: Int
    public let time: String
    public let timeMs: UInt64
    public let transaction: String?
    public let report: String
    public let version: UInt32
    public let reader: String
    public let purpose: String
    /// "allowed" or "denied".
    public let outcome: String
    /// "relationship", "grant" or "denied".
    public let basis: String
    public let grant: String?
    public let code: UInt16?
    public let codeName: String?
    /// Base64 of `LedgerEvent.canonicalBytes`.
    public let canonical: String

    /// nil for events that are not reads.
    public init?(_ indexed: IndexedEvent) {
        guard case .access(let report, let version, _, let reader, let purpose, let basis) = indexed.event else {
            return nil
        }
        let event = EventView(indexed.event)
        height = indexed.height.rawValue
        position = indexed.position
        eventIndex = indexed.eventIndex
        time = indexed.time.description
        timeMs = indexed.time.milliseconds
        transaction = indexed.transactionHash?.hex
        self.report = report.hex
        self.version = version.rawValue
        self.reader = reader.hex
        self.purpose = purpose.name
        outcome = basis.isGranted ? "allowed" : "denied"
        self.basis = event.basis ?? "denied"
        grant = event.grant
        code = event.code
        codeName = event.codeName
        canonical = indexed.event.canonicalBytes.base64
    }
}
