import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.IndexedEvent {
    /// One entry of a history (`GET /v1/reports/{id}/history`): an indexed event with where
    /// and when it happened, and its canonical bytes so a client can rebuild it exactly.
    public init(_ indexed: IndexedEvent) {
        self.init(
            height: Int(ledger: indexed.height.rawValue), position: indexed.position, eventIndex: indexed.eventIndex,
            time: indexed.time.description, timeMs: Int(ledger: indexed.time.milliseconds),
            transaction: indexed.transactionHash?.hex, event: .init(indexed.event),
            canonical: .init(indexed.event.canonicalBytes))
    }
}

extension Components.Schemas.AuditEntry {
    /// One entry of a patient's audit trail (`GET /v1/patients/{id}/audit`): a read attempt;
    /// nil for events that are not reads.
    public init?(_ indexed: IndexedEvent) {
        guard
            case .access(let report, let version, _, let reader, let purpose, let basis, let organization) = indexed
                .event
        else {
            return nil
        }
        let event = Components.Schemas.Event(indexed.event)
        let basisName: BasisPayload =
            switch basis {
            case .relationship: .relationship
            case .grant: .grant
            case .denied: .denied
            }
        self.init(
            cursor: indexed.cursor.description,
            height: Int(ledger: indexed.height.rawValue), position: indexed.position, eventIndex: indexed.eventIndex,
            time: indexed.time.description, timeMs: Int(ledger: indexed.time.milliseconds),
            transaction: indexed.transactionHash?.hex, report: report.hex, version: Int(version.rawValue),
            reader: reader.hex, organization: organization?.hex, purpose: purpose.name,
            outcome: basis.isGranted ? .allowed : .denied,
            basis: basisName, grant: event.grant,
            code: event.code, codeName: event.codeName, canonical: .init(indexed.event.canonicalBytes), event: event)
    }
}
