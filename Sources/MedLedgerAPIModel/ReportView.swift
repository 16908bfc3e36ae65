import MedLedgerCore
import MedLedgerContracts

/// A report as JSON, with `canonical` (base64 of `ReportRecord.canonicalBytes`) so clients
/// can rebuild the exact record, envelopes included.
public struct ReportView: Codable, Sendable {
    public struct ApprovalView: Codable, Sendable {
        public let approver: String
        public let time: String
    }
    public struct RevisionView: Codable, Sendable {
        public let kind: String
        public let reason: String
    }
    public struct VersionView: Codable, Sendable {
        public let version: UInt32
        public let status: String
        public let author: String
        public let submittedAt: String
        public let contentAddress: String
        public let sizeBytes: UInt64
        public let commitment: String
        public let approvals: [ApprovalView]
        public let revision: RevisionView?
        public let withdrawal: String?
        /// Who holds a key envelope for this version.
        public let envelopeRecipients: [String]
    }

    public let id: String
    public let patient: String
    public let organization: String
    public let category: String
    public let recipients: [String]
    public let distributed: Bool
    public let versions: [VersionView]
    public let canonical: String

    public init(_ record: ReportRecord) {
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
            version: version.version.rawValue, status: version.status.name, author: version.author.hex,
            submittedAt: version.submittedAt.description, contentAddress: version.content.contentAddress.hex,
            sizeBytes: version.content.sizeBytes, commitment: version.content.commitment.hex,
            approvals: version.approvals.map { ApprovalView(approver: $0.approver.hex, time: $0.time.description) },
            revision: version.revision.map { RevisionView(kind: $0.kind.name, reason: $0.reason.name) },
            withdrawal: version.withdrawal?.name,
            envelopeRecipients: version.content.envelopes.map(\.recipient.hex))
    }
}
