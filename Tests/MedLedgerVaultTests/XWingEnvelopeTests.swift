import Crypto
import MedLedgerCore
import Testing

@testable import MedLedgerVault

/// Envelopes of both suites, alone and mixed in one version (ADR 11).
@Suite("X-Wing envelopes")
struct XWingEnvelopeTests {
    static let dataKey = SymmetricKey(data: Array(0..<32) as [UInt8])

    @Test func anXWingEnvelopeRoundTripsWithItsSizes() throws {
        let envelope = try ReportCrypto.wrap(
            dataKey: Self.dataKey, for: Party.xwingPatient.identityID, key: Party.xwingPatient.publicEncryptionKey,
            report: Sample.report, version: 1)
        #expect(envelope.suite == .xwing)
        #expect(envelope.encapsulatedKey.count == 1_120)
        #expect(envelope.wrappedKey.count == 48)
        #expect(envelope.canonicalBytes.count == EnvelopeBudget.envelopeBytes(.xwing))
        #expect(try KeyEnvelope.decode(canonical: envelope.canonicalBytes) == envelope)
        let key = try ReportCrypto.unwrap(envelope, using: Party.xwingPatient, report: Sample.report, version: 1)
        #expect(key == Self.dataKey)
        // Bound to its report, version and recipient like an X25519 envelope.
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.xwingPatient, report: Sample.report, version: 2)
        }
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.xwingReader, report: Sample.report, version: 1)
        }
        let relabelled = KeyEnvelope(
            recipient: Party.xwingReader.identityID, encapsulatedKey: envelope.encapsulatedKey,
            wrappedKey: envelope.wrappedKey)
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(relabelled, using: Party.xwingReader, report: Sample.report, version: 1)
        }
    }

    /// Patient on X-Wing, author on X25519, one custodian of each suite, 2 of 2: everyone
    /// opens their own envelope, and the shares rebuild the key.
    @Test func oneVersionSealsToBothSuitesAtOnce() throws {
        let custody = ReportCrypto.Custody(
            threshold: 2,
            custodians: [
                (Party.custodian.identityID, Party.custodian.publicEncryptionKey),
                (Party.xwingCustodian.identityID, Party.xwingCustodian.publicEncryptionKey),
            ])
        let sealed = try ReportCrypto.seal(
            plaintext: Sample.plaintext, title: "t", effectiveDate: nil, note: nil, report: Sample.report,
            version: 1, recipients: [Party.recipient(Party.xwingPatient), Party.recipient(Party.author)],
            custody: custody)
        let content = sealed.content
        #expect(content.envelope(for: Party.xwingPatient.identityID)?.suite == .xwing)
        #expect(content.envelope(for: Party.author.identityID)?.suite == .x25519)
        #expect(content.envelope(for: Party.custodian.identityID)?.suite == .x25519)
        #expect(content.envelope(for: Party.xwingCustodian.identityID)?.suite == .xwing)

        for keys in [Party.xwingPatient, Party.author] {
            let envelope = try #require(content.envelope(for: keys.identityID))
            #expect(try ReportCrypto.unwrap(envelope, using: keys, report: Sample.report, version: 1) == sealed.dataKey)
        }
        let shares = try [Party.custodian, Party.xwingCustodian].enumerated().map { index, keys in
            try ReportCrypto.unwrapShare(
                try #require(content.envelope(for: keys.identityID)), using: keys, x: UInt8(index + 1), threshold: 2,
                report: Sample.report, version: 1)
        }
        let key = try ReportCrypto.combineShares(
            shares, threshold: 2, commitments: content.shareCommitments, report: Sample.report, version: 1)
        #expect(key == sealed.dataKey)
    }

    /// Custodians re-seal across suites: X25519 custodian to an X-Wing reader, X-Wing
    /// custodian to an X25519 reader; each reader opens with its own suite.
    @Test(arguments: [(false, true), (true, false), (true, true)])
    func custodiansResealAcrossSuites(custodianIsXWing: Bool, readerIsXWing: Bool) throws {
        let custodian = custodianIsXWing ? Party.xwingCustodian : Party.custodian
        let reader = readerIsXWing ? Party.xwingReader : Party.reader
        let custody = ReportCrypto.Custody(
            threshold: 1, custodians: [(custodian.identityID, custodian.publicEncryptionKey)])
        let sealed = try ReportCrypto.seal(
            plaintext: Sample.plaintext, title: "t", effectiveDate: nil, note: nil, report: Sample.report,
            version: 1, recipients: [Party.recipient(Party.patient)], custody: custody)
        let own = try #require(sealed.content.envelope(for: custodian.identityID))
        let released = try ReportCrypto.rewrapShare(
            own, custodian: custodian, x: 1, threshold: 1, for: reader.identityID,
            readerKey: reader.publicEncryptionKey, report: Sample.report, version: 1)
        #expect(released.suite == reader.encryption.suite)
        let share = try ReportCrypto.unwrapShare(
            released, using: reader, x: 1, threshold: 1, report: Sample.report, version: 1)
        let key = try ReportCrypto.combineShares(
            [share], threshold: 1, commitments: sealed.content.shareCommitments, report: Sample.report, version: 1)
        let opened = try ReportCrypto.open(
            blob: sealed.blob, content: sealed.content, dataKey: key, report: Sample.report, version: 1)
        #expect(opened.plaintext == Sample.plaintext)
    }

    @Test func anEnvelopeOfTheOtherSuiteIsRefusedByName() throws {
        let xwing = try ReportCrypto.wrap(
            dataKey: Self.dataKey, for: Party.patient.identityID, key: Party.xwingPatient.publicEncryptionKey,
            report: Sample.report, version: 1)
        let error = try #require(throws: VaultError.self) {
            try ReportCrypto.unwrap(xwing, using: Party.patient, report: Sample.report, version: 1)
        }
        #expect(error == .suiteMismatch)
        #expect(error.message.contains("sealed with xwing") && error.message.contains("is x25519"))

        let classical = try ReportCrypto.wrap(
            dataKey: Self.dataKey, for: Party.xwingPatient.identityID, key: Party.patient.publicEncryptionKey,
            report: Sample.report, version: 1)
        #expect(throws: VaultError.suiteMismatch) {
            try ReportCrypto.unwrap(classical, using: Party.xwingPatient, report: Sample.report, version: 1)
        }
        #expect(throws: VaultError.suiteMismatch) {
            try ReportCrypto.unwrapShare(
                classical, using: Party.xwingPatient, x: 1, threshold: 1, report: Sample.report, version: 1)
        }
    }

    /// Garbage of the right size goes through ML-KEM's implicit rejection and fails at the
    /// AEAD; garbage of another size is no suite's. Neither traps.
    @Test func garbageXWingEnvelopesThrow() throws {
        let recipient = Party.xwingPatient.identityID
        let garbage: [KeyEnvelope] = [
            KeyEnvelope(
                recipient: recipient, encapsulatedKey: [UInt8](repeating: 0x5a, count: 1_120),
                wrappedKey: [UInt8](repeating: 1, count: 48)),
            KeyEnvelope(
                recipient: recipient, encapsulatedKey: [UInt8](repeating: 0, count: 1_120), wrappedKey: []),
            KeyEnvelope(
                recipient: recipient, encapsulatedKey: [UInt8](repeating: 0xff, count: 1_119),
                wrappedKey: [UInt8](repeating: 1, count: 48)),
            KeyEnvelope(
                recipient: recipient, encapsulatedKey: [UInt8](repeating: 0xff, count: 1_200),
                wrappedKey: [UInt8](repeating: 1, count: 1_200)),
        ]
        for envelope in garbage {
            #expect(throws: VaultError.unwrapFailed) {
                try ReportCrypto.unwrap(envelope, using: Party.xwingPatient, report: Sample.report, version: 1)
            }
        }
    }
}
