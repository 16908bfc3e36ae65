import MedLedgerCore
import MedLedgerStorage

/// One entry of a history (`GET /v1/reports/{id}/history`): an indexed event with where and
/// when it happened, and its canonical bytes so a client can rebuild it exactly.
struct IndexedEventView: Encodable {
    let height: UInt64
    let position: Int
    let eventIndex: Int
    let time: String
    let timeMs: UInt64
    let transaction: String?
    let event: EventView
    /// Base64 of `LedgerEvent.canonicalBytes`.
    let canonical: String

    init(_ indexed: IndexedEvent) {
        height = indexed.height
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
struct AuditEntryView: Encodable {
    let height: UInt64
    let position: Int
    let eventIndex: Int
    let time: String
    let timeMs: UInt64
    let transaction: String?
    let report: String
    let version: UInt32
    let reader: String
    let purpose: String
    /// "allowed" or "denied".
    let outcome: String
    /// "relationship", "grant" or "denied".
    let basis: String
    let grant: String?
    let code: UInt16?
    let codeName: String?
    /// Base64 of `LedgerEvent.canonicalBytes`.
    let canonical: String

    /// nil for events that are not reads.
    init?(_ indexed: IndexedEvent) {
        guard case .access(let report, let version, _, let reader, let purpose, let basis) = indexed.event else {
            return nil
        }
        let event = EventView(indexed.event)
        height = indexed.height
        position = indexed.position
        eventIndex = indexed.eventIndex
        time = indexed.time.description
        timeMs = indexed.time.milliseconds
        transaction = indexed.transactionHash?.hex
        self.report = report.hex
        self.version = version
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
