import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Report {
    /// A report as JSON, with `canonical` (its `ReportRecord.canonicalBytes`) so clients can
    /// rebuild the exact record, envelopes included.
    public init(_ record: ReportRecord) {
        self.init(
            id: record.id.hex, patient: record.patient.hex, organization: record.organization.hex,
            category: record.category.value, recipients: record.recipients.map(\.hex),
            distributed: record.distributed, versions: record.versions.map(Components.Schemas.ReportVersion.init),
            canonical: .init(record.canonicalBytes))
    }
}

extension Components.Schemas.Report {
    /// A report with, per version, the nodes that attested holding its blob (and their count).
    public init(_ record: ReportRecord, holders: (ReportVersion) -> [IdentityID]) {
        self.init(record)
        versions = zip(record.versions, versions).map { record, view in
            var view = view
            let nodes = holders(record.version)
            view.replicas = nodes.count
            view.holders = nodes.map(\.hex)
            return view
        }
    }
}

extension Components.Schemas.ReportVersion {
    init(_ version: ReportVersionRecord) {
        self.init(
            version: Int(version.version.rawValue), status: version.status.name, author: version.author.hex,
            submittedAt: version.submittedAt.description, contentAddress: version.content.contentAddress.hex,
            sizeBytes: Int(ledger: version.content.sizeBytes), commitment: version.content.commitment.hex,
            approvals: version.approvals.map { .init(approver: $0.approver.hex, time: $0.time.description) },
            revision: version.revision.map { .init(kind: $0.kind.name, reason: $0.reason.name) },
            withdrawal: version.withdrawal?.name,
            envelopeRecipients: version.content.envelopes.map(\.recipient.hex))
    }
}
