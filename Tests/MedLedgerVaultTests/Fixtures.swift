import Crypto
import MedLedgerCore
@testable import MedLedgerVault

extension PrivateEncryptionKey {
    /// The X25519 key inside, for tests that drive swift-crypto's HPKE directly.
    var x25519Key: Curve25519.KeyAgreement.PrivateKey? {
        guard case .x25519(let key) = self else { return nil }
        return key
    }
}

/// Fixed parties, so failures reproduce; deterministic keys are for tests only.
enum Party {
    static let patient = IdentityKeys.deterministic(seed: "vault-patient")
    static let author = IdentityKeys.deterministic(seed: "vault-author")
    static let custodian = IdentityKeys.deterministic(seed: "vault-custodian")
    static let reader = IdentityKeys.deterministic(seed: "vault-reader")
    static let stranger = IdentityKeys.deterministic(seed: "vault-stranger")
    /// The same roles with X-Wing encryption keys.
    static let xwingPatient = IdentityKeys.deterministic(seed: "vault-xwing-patient", suite: .xwing)
    static let xwingAuthor = IdentityKeys.deterministic(seed: "vault-xwing-author", suite: .xwing)
    static let xwingCustodian = IdentityKeys.deterministic(seed: "vault-xwing-custodian", suite: .xwing)
    static let xwingReader = IdentityKeys.deterministic(seed: "vault-xwing-reader", suite: .xwing)

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
