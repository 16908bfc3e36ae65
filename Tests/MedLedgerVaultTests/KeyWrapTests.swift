import Crypto
import MedLedgerCore
import Testing
@testable import MedLedgerVault

@Suite("key wrapping")
struct KeyWrapTests {
    @Test func custodianResealsItsShareForAReaderWhoThenOpens() throws {
        let sealed = try Sample.sealed()
        let custodianEnvelope = try #require(sealed.content.envelope(for: Party.custodian.identityID))
        let readerEnvelope = try ReportCrypto.rewrapShare(
            custodianEnvelope, custodian: Party.custodian, x: 1, threshold: 1,
            for: Party.reader.identityID, readerKey: Party.reader.publicEncryptionKey,
            report: Sample.report, version: 1)
        #expect(readerEnvelope.recipient == Party.reader.identityID)

        let share = try ReportCrypto.unwrapShare(
            readerEnvelope, using: Party.reader, x: 1, threshold: 1, report: Sample.report, version: 1)
        let dataKey = try ReportCrypto.combineShares(
            [share], threshold: 1, commitments: sealed.content.shareCommitments, report: Sample.report, version: 1)
        let opened = try ReportCrypto.open(
            blob: sealed.blob, content: sealed.content, dataKey: dataKey, report: Sample.report, version: 1)
        #expect(opened.plaintext == Sample.plaintext)
        // The reader's envelope is useless to anyone else, the custodian included.
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrapShare(
                readerEnvelope, using: Party.custodian, x: 1, threshold: 1, report: Sample.report, version: 1)
        }
    }

    @Test func resealingNeedsTheCustodiansOwnShareEnvelope() throws {
        let sealed = try Sample.sealed()
        let patientEnvelope = try #require(sealed.content.envelope(for: Party.patient.identityID))
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.rewrapShare(
                patientEnvelope, custodian: Party.custodian, x: 1, threshold: 1,
                for: Party.reader.identityID, readerKey: Party.reader.publicEncryptionKey,
                report: Sample.report, version: 1)
        }
    }

    /// A custodian's envelope holds a share, bound to its x and threshold: it does not open
    /// as a whole-key envelope, nor as another x or threshold.
    @Test func aShareEnvelopeOpensOnlyAsItsOwnShare() throws {
        let sealed = try Sample.sealed()
        let envelope = try #require(sealed.content.envelope(for: Party.custodian.identityID))
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.custodian, report: Sample.report, version: 1)
        }
        for (x, threshold) in [(UInt8(2), 1), (1, 2)] {
            #expect(throws: VaultError.unwrapFailed) {
                try ReportCrypto.unwrapShare(
                    envelope, using: Party.custodian, x: x, threshold: threshold, report: Sample.report, version: 1)
            }
        }
    }

    @Test func wrongKeysDoNotUnwrap() throws {
        let sealed = try Sample.sealed()
        let envelope = try #require(sealed.content.envelope(for: Party.patient.identityID))
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.stranger, report: Sample.report, version: 1)
        }
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: .generate(), report: Sample.report, version: 1)
        }
        #expect(sealed.content.envelope(for: Party.stranger.identityID) == nil)
    }

    @Test func envelopeIsBoundToReportVersionAndRecipient() throws {
        let sealed = try Sample.sealed()
        let envelope = try #require(sealed.content.envelope(for: Party.patient.identityID))
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.patient, report: Sample.otherReport, version: 1)
        }
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.patient, report: Sample.report, version: 2)
        }
        // Relabelling the envelope as someone else's changes the HPKE info, so it fails too.
        let relabelled = KeyEnvelope(
            recipient: Party.reader.identityID, encapsulatedKey: envelope.encapsulatedKey,
            wrappedKey: envelope.wrappedKey)
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(relabelled, using: Party.patient, report: Sample.report, version: 1)
        }
    }

    @Test func alteredOrTruncatedEnvelopesFailCleanly() throws {
        let sealed = try Sample.sealed()
        let envelope = try #require(sealed.content.envelope(for: Party.patient.identityID))
        let variants = [
            KeyEnvelope(
                recipient: envelope.recipient, encapsulatedKey: envelope.encapsulatedKey.flipping(at: 3),
                wrappedKey: envelope.wrappedKey),
            KeyEnvelope(
                recipient: envelope.recipient, encapsulatedKey: envelope.encapsulatedKey,
                wrappedKey: envelope.wrappedKey.flipping(at: 0)),
            KeyEnvelope(recipient: envelope.recipient, encapsulatedKey: [], wrappedKey: envelope.wrappedKey),
            KeyEnvelope(
                recipient: envelope.recipient, encapsulatedKey: Array(envelope.encapsulatedKey.prefix(31)),
                wrappedKey: envelope.wrappedKey),
            KeyEnvelope(recipient: envelope.recipient, encapsulatedKey: envelope.encapsulatedKey, wrappedKey: []),
            KeyEnvelope(
                recipient: envelope.recipient, encapsulatedKey: [UInt8](repeating: 0, count: 32),
                wrappedKey: envelope.wrappedKey),
        ]
        for variant in variants {
            #expect(throws: VaultError.unwrapFailed) {
                try ReportCrypto.unwrap(variant, using: Party.patient, report: Sample.report, version: 1)
            }
        }
    }

    @Test func envelopeHoldingAShortKeyIsRejected() throws {
        // A hostile author could wrap a 128-bit key; unwrap insists on the 256-bit data key size.
        let info = ReportCrypto.keyWrapInfo(report: Sample.report, version: 1, recipient: Party.patient.identityID)
        let recipientKey = try Curve25519.KeyAgreement.PublicKey(
            rawRepresentation: Party.patient.publicEncryptionKey.rawBytes)
        var sender = try HPKE.Sender(
            recipientKey: recipientKey, ciphersuite: ReportCrypto.ciphersuite(.x25519), info: .init(info))
        let wrapped = try sender.seal([UInt8](repeating: 7, count: 16))
        let envelope = KeyEnvelope(
            recipient: Party.patient.identityID, encapsulatedKey: Array(sender.encapsulatedKey),
            wrappedKey: Array(wrapped))
        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(envelope, using: Party.patient, report: Sample.report, version: 1)
        }
    }

    @Test func wrapRefusesShortDataKeys() throws {
        #expect(throws: VaultError.invalidDataKey) {
            try ReportCrypto.wrap(
                dataKey: SymmetricKey(size: .bits128), for: Party.patient.identityID,
                key: Party.patient.publicEncryptionKey, report: Sample.report, version: 1)
        }
    }

    @Test func envelopesFitTheLedgerLimits() throws {
        let sealed = try Sample.sealed()
        for envelope in sealed.content.envelopes {
            #expect(envelope.encapsulatedKey.count == 32)
            #expect(envelope.wrappedKey.count == 32 + 16)
            #expect(try KeyEnvelope.decode(canonical: envelope.canonicalBytes) == envelope)
        }
    }
}
