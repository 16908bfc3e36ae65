import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Case {
    /// A case as JSON, with `canonical` (its state entry's bytes).
    public init(_ record: CaseRecord) {
        self.init(
            id: record.id.hex, patient: record.patient.hex, report: record.report.hex, reader: record.reader.hex,
            organization: record.organization.hex, accessTransaction: record.accessTransaction.hex,
            concern: ConcernPayload(rawValue: record.concern.name)!, openedBy: record.openedBy.hex,
            openedAt: record.openedAt.description, openedAtMs: Int(ledger: record.openedAt.milliseconds),
            status: StatusPayload(rawValue: record.status.name)!,
            resolution: record.resolution.map { ResolutionPayload(rawValue: $0.name)! },
            resolvedBy: record.resolvedBy?.hex, resolvedAt: record.resolvedAt?.description,
            resolvedAtMs: record.resolvedAt.map { Int(ledger: $0.milliseconds) },
            canonical: .init(record.canonicalBytes))
    }
}

/// Whether a case's evidence holds up: the access transaction the patient named must be a
/// committed `access-report` whose access event names the case's report, patient and reader.
public enum CaseEvidence {
    /// nil when it matches; otherwise why not, in words for the privacy officer.
    public static func problem(with record: CaseRecord, evidence: StoredTransaction?) -> String? {
        guard let evidence else {
            return "no committed transaction \(record.accessTransaction.hex) on this ledger"
        }
        guard case .accessReport = evidence.transaction.payload else {
            return
                "transaction \(record.accessTransaction.hex) is a \(evidence.transaction.payload.typeName), not an access-report"
        }
        let reads = evidence.receipt.events.compactMap { event -> (ReportID, IdentityID, IdentityID)? in
            guard case .access(let report, _, let patient, let reader, _, _, _) = event else { return nil }
            return (report, patient, reader)
        }
        guard let (report, patient, reader) = reads.first else {
            return "transaction \(record.accessTransaction.hex) left no access event"
        }
        if report != record.report {
            return "the access event names report \(report.hex), not the case's report \(record.report.hex)"
        }
        if patient != record.patient {
            return "the access event names patient \(patient.hex), not the case's patient \(record.patient.hex)"
        }
        if reader != record.reader {
            return "the access event names reader \(reader.hex), not the case's reader \(record.reader.hex)"
        }
        return nil
    }
}
