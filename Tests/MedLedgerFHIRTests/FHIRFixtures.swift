import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR

/// Ledger records for the mapping tests: one organization, an author, an approver, a patient
/// and a two-version report.
enum FHIRFixtures {
    static let organizationKeys = IdentityKeys.deterministic(seed: "fhir-org")
    static let authorKeys = IdentityKeys.deterministic(seed: "fhir-author")
    static let approverKeys = IdentityKeys.deterministic(seed: "fhir-approver")
    static let patientKeys = IdentityKeys.deterministic(seed: "fhir-patient")
    static var organization: IdentityID { organizationKeys.identityID }
    static var author: IdentityID { authorKeys.identityID }
    static var approver: IdentityID { approverKeys.identityID }
    static var patient: IdentityID { patientKeys.identityID }
    static let reportID = ReportID(hex: "00112233445566778899aabbccddeeff")!
    static let grantID = GrantID(hex: "ffeeddccbbaa99887766554433221100")!
    static let category = Code("LP7789-9")!

    static func identity(_ keys: IdentityKeys, _ kind: IdentityKind, organization: IdentityID? = nil) -> IdentityRecord
    {
        IdentityRecord(
            id: keys.identityID, kind: kind, signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey,
            organization: organization, roles: kind == .practitioner ? [.author, .approver] : [], registeredAt: 1)
    }

    static let mapper = FHIRMapper(baseURL: "https://node.example:8443/") { id in
        switch id {
        case organization: .organization
        case author, approver: .practitioner
        case patient: .patient
        default: nil
        }
    }

    static func content(_ seed: UInt8) -> ReportContent {
        ReportContent(
            contentAddress: Hash256.of([seed]), sizeBytes: 1234, commitment: Hash256.of([seed, 1]),
            encryptedMetadata: [1, 2, 3], envelopes: [], shareCommitments: [])
    }

    /// Version 1 final (approved at t=2000), version 2 amended (approved at t=4000).
    static var report: ReportRecord {
        let first = ReportVersionRecord(
            version: 1, status: .final, author: author, submittedAt: ConsensusTime(milliseconds: 1_000),
            content: content(1), revision: nil,
            approvals: [Approval(approver: approver, time: ConsensusTime(milliseconds: 2_000))])
        let second = ReportVersionRecord(
            version: 2, status: .amended, author: author, submittedAt: ConsensusTime(milliseconds: 3_000),
            content: content(2), revision: Revision(kind: .amend, reason: .additionalInformation),
            approvals: [Approval(approver: approver, time: ConsensusTime(milliseconds: 4_000))])
        return ReportRecord(
            id: reportID, patient: patient, organization: organization, category: category, recipients: [],
            versions: [first, second], distributed: true)
    }

    static func grant(revokedAt: ConsensusTime? = nil) -> GrantRecord {
        GrantRecord(
            id: grantID, patient: patient, grantee: author, scope: .categories([category]), purpose: .treatment,
            validFrom: nil, validUntil: ConsensusTime(milliseconds: 100_000), origin: .consent, grantedBy: patient,
            grantedAt: ConsensusTime(milliseconds: 5_000), revokedAt: revokedAt)
    }
}
