import MedLedgerCore
import Testing
@testable import MedLedgerVault

@Suite("metadata and input validation")
struct MetadataAndValidationTests {
    let salt = [UInt8](repeating: 0xab, count: 32)

    @Test func metadataHasTheDocumentedCanonicalForm() throws {
        let metadata = try ReportMetadata(title: "CT", effectiveDate: nil, note: "ok", salt: salt)
        let expected: [UInt8] = [0, 0, 0, 2] + Array("CT".utf8) + [0] + [1, 0, 0, 0, 2] + Array("ok".utf8) + salt
        #expect(metadata.canonicalBytes == expected)
        #expect(try ReportMetadata.decode(canonical: expected) == metadata)
    }

    @Test func metadataDecoderRejectsNonCanonicalBytes() throws {
        let metadata = try ReportMetadata(title: "CT", effectiveDate: "2026-11-21", note: nil, salt: salt)
        let bytes = metadata.canonicalBytes
        #expect(throws: CanonicalDecodingError.self) { try ReportMetadata.decode(canonical: bytes + [0]) }
        #expect(throws: CanonicalDecodingError.self) { try ReportMetadata.decode(canonical: Array(bytes.dropLast())) }
        var badTag = bytes
        badTag[6] = 2  // the effective date's optional tag
        #expect(throws: CanonicalDecodingError.self) { try ReportMetadata.decode(canonical: badTag) }
        let longTitle: [UInt8] = [0, 0, 2, 1] + [UInt8](repeating: 0x41, count: 513) + [0, 0] + salt
        #expect(throws: CanonicalDecodingError.self) { try ReportMetadata.decode(canonical: longTitle) }
        let badUTF8: [UInt8] = [0, 0, 0, 1, 0xff, 0, 0] + salt
        #expect(throws: CanonicalDecodingError.self) { try ReportMetadata.decode(canonical: badUTF8) }
    }

    @Test func metadataLimitsAreEnforced() throws {
        let maxTitle = String(repeating: "é", count: 256)  // 512 bytes exactly
        #expect(throws: Never.self) { try ReportMetadata(title: maxTitle, effectiveDate: nil, note: nil, salt: salt) }
        #expect(throws: VaultError.invalidMetadata) {
            try ReportMetadata(title: maxTitle + "x", effectiveDate: nil, note: nil, salt: salt)
        }
        #expect(throws: VaultError.invalidMetadata) {
            try ReportMetadata(title: "t", effectiveDate: String(repeating: "9", count: 65), note: nil, salt: salt)
        }
        #expect(throws: VaultError.invalidMetadata) {
            try ReportMetadata(title: "t", effectiveDate: nil, note: String(repeating: "n", count: 2_049), salt: salt)
        }
        #expect(throws: VaultError.invalidMetadata) {
            try ReportMetadata(title: "t", effectiveDate: nil, note: nil, salt: [1, 2, 3])
        }
    }

    @Test func largestMetadataStillFitsOnTheLedger() throws {
        let sealed = try ReportCrypto.seal(
            plaintext: [1], title: String(repeating: "t", count: 512),
            effectiveDate: String(repeating: "d", count: 64), note: String(repeating: "n", count: 2_048),
            report: Sample.report, version: 1, recipients: [Party.recipient(Party.patient)], custody: Party.custody)
        #expect(sealed.content.encryptedMetadata.count <= Limits.encryptedMetadataMaxBytes)
        #expect(try ReportContent.decode(canonical: sealed.content.canonicalBytes) == sealed.content)
    }

    @Test func sealRejectsBadMetadataAndRecipientLists() throws {
        let patient = Party.recipient(Party.patient)
        #expect(throws: VaultError.invalidMetadata) {
            try ReportCrypto.seal(
                plaintext: [1], title: String(repeating: "t", count: 513), effectiveDate: nil, note: nil,
                report: Sample.report, version: 1, recipients: [patient], custody: Party.custody)
        }
        #expect(throws: VaultError.invalidRecipients) {
            try ReportCrypto.seal(
                plaintext: [1], title: "t", effectiveDate: nil, note: nil,
                report: Sample.report, version: 1, recipients: [], custody: Party.custody)
        }
        let error = #expect(throws: VaultError.invalidRecipients) {
            try ReportCrypto.seal(
                plaintext: [1], title: "t", effectiveDate: nil, note: nil,
                report: Sample.report, version: 1, recipients: [patient, Party.recipient(Party.author), patient],
                custody: Party.custody)
        }
        #expect(error?.message.contains(Party.patient.identityID.hex) == true)
        let many = (0...Limits.envelopesMaxCount).map { Party.recipient(.deterministic(seed: "many-\($0)")) }
        #expect(throws: VaultError.invalidRecipients) {
            try ReportCrypto.seal(
                plaintext: [1], title: "t", effectiveDate: nil, note: nil,
                report: Sample.report, version: 1, recipients: many, custody: Party.custody)
        }
    }

    @Test func sealRejectsPlaintextTooLargeForABlob() throws {
        let tooLarge = [UInt8](repeating: 0, count: ReportCrypto.plaintextMaxBytes + 1)
        #expect(throws: VaultError.plaintextTooLarge) {
            try ReportCrypto.seal(
                plaintext: tooLarge, title: "t", effectiveDate: nil, note: nil,
                report: Sample.report, version: 1, recipients: [Party.recipient(Party.patient)], custody: Party.custody)
        }
    }

    @Test func errorsCompareByKindAndCarryAMessage() {
        let specific = VaultError.addressMismatch.with("blob hashes to x")
        #expect(specific == .addressMismatch)
        #expect(specific != .commitmentMismatch)
        #expect(specific.description == "blob hashes to x")
        #expect(Set([specific, .addressMismatch]).count == 1)
    }
}
