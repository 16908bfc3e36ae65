import MedLedgerCore
@testable import MedLedgerVault

/// Fixed parties, so failures reproduce; deterministic keys are for tests only.
enum Party {
    static let patient = IdentityKeys.deterministic(seed: "vault-patient")
    static let author = IdentityKeys.deterministic(seed: "vault-author")
    static let custodian = IdentityKeys.deterministic(seed: "vault-custodian")
    static let reader = IdentityKeys.deterministic(seed: "vault-reader")
    static let stranger = IdentityKeys.deterministic(seed: "vault-stranger")

    static func recipient(_ keys: IdentityKeys) -> (IdentityID, PublicEncryptionKey) {
        (keys.identityID, keys.publicEncryptionKey)
    }

    /// One custodian holding the whole key as its share (1 of 1), as on a single node.
    static let custody = ReportCrypto.Custody(
        threshold: 1, custodians: [(custodian.identityID, custodian.publicEncryptionKey)])
}

enum Sample {
    static let report = ReportID(bytes: Array(1...16))!
    static let otherReport = ReportID(bytes: Array(101...116))!
    static let plaintext = Array(
        """
        {"resourceType":"DiagnosticReport","status":"final","conclusion":"No acute findings."}
        """.utf8)

    /// Version `version` of `report`, sealed to patient and author, with the custodian's
    /// share (1 of 1).
    static func sealed(version: ReportVersion = 1, report: ReportID = report) throws -> SealedReport {
        try ReportCrypto.seal(
            plaintext: plaintext, title: "Chest X-ray", effectiveDate: "2026-11-21",
            note: "Compared with the study of 2025-03-02.", report: report, version: version,
            recipients: [Party.recipient(Party.patient), Party.recipient(Party.author)], custody: Party.custody)
    }
}

extension ReportContent {
    /// A copy with some fields replaced, to simulate a ledger entry that disagrees with the blob.
    func replacing(
        contentAddress: Hash256? = nil, sizeBytes: UInt64? = nil, commitment: Hash256? = nil,
        encryptedMetadata: [UInt8]? = nil, envelopes: [KeyEnvelope]? = nil
    ) -> ReportContent {
        ReportContent(
            contentAddress: contentAddress ?? self.contentAddress,
            sizeBytes: sizeBytes ?? self.sizeBytes,
            commitment: commitment ?? self.commitment,
            encryptedMetadata: encryptedMetadata ?? self.encryptedMetadata,
            envelopes: envelopes ?? self.envelopes, shareCommitments: shareCommitments)
    }
}

extension Array where Element == UInt8 {
    /// The same bytes with one bit of byte `index` flipped.
    func flipping(at index: Int) -> [UInt8] {
        var copy = self
        copy[index] ^= 0x01
        return copy
    }
}
