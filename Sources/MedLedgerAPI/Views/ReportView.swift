import MedLedgerCore
import MedLedgerContracts

/// A report as JSON, with `canonical` (base64 of `ReportRecord.canonicalBytes`) so clients
/// can rebuild the exact record, envelopes included.
struct ReportView: Encodable {
    struct ApprovalView: Encodable {
        let approver: String
        let time: String
    }
    struct RevisionView: Encodable {
        let kind: String
        let reason: String
    }
    struct VersionView: Encodable {
        let version: UInt32
        let status: String
        let author: String
        let submittedAt: String
        let contentAddress: String
        let sizeBytes: UInt64
        let commitment: String
        let approvals: [ApprovalView]
        let revision: RevisionView?
        let withdrawal: String?
        /// Who holds a key envelope for this version.
        let envelopeRecipients: [String]
    }

    let id: String
    let patient: String
    let organization: String
    let category: String
    let recipients: [String]
    let distributed: Bool
    let versions: [VersionView]
    let canonical: String

    init(_ record: ReportRecord) {
        id = record.id.hex
        patient = record.patient.hex
        organization = record.organization.hex
        category = record.category.value
        recipients = record.recipients.map(\.hex)
        distributed = record.distributed
        versions = record.versions.map(Self.version)
        canonical = record.canonicalBytes.base64
    }

    private static func version(_ version: ReportVersionRecord) -> VersionView {
        VersionView(
            version: version.version, status: version.status.name, author: version.author.hex,
            submittedAt: version.submittedAt.description, contentAddress: version.content.contentAddress.hex,
            sizeBytes: version.content.sizeBytes, commitment: version.content.commitment.hex,
            approvals: version.approvals.map { ApprovalView(approver: $0.approver.hex, time: $0.time.description) },
            revision: version.revision.map { RevisionView(kind: $0.kind.name, reason: $0.reason.name) },
            withdrawal: version.withdrawal?.name,
            envelopeRecipients: version.content.envelopes.map(\.recipient.hex))
    }
}
