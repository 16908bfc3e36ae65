import Crypto
import MedLedgerSpecSupport
import Testing
import MedLedgerCore
@testable import MedLedgerVault

/// The worked examples of `docs/spec/vault.md`: an outside implementer's bytes must match these.
@Suite struct VaultSpecTests {
    let report = ReportID(bytes: Array(0...15))!
    let recipient = IdentityID(hash: Hash256(bytes: Array(repeating: 0xab, count: 32))!)

    @Test func contentAssociatedDataMatchesTheSpec() {
        #expect(
            Hex.encode(ReportCrypto.contentAAD(report: report, version: 1))
                == "0000001b6d65646c65646765722f7265706f72742d636f6e74656e742f7631000102030405060708090a0b0c0d0e0f00000001"
        )
    }

    @Test func keyWrapInfoMatchesTheSpec() {
        #expect(
            Hex.encode(ReportCrypto.keyWrapInfo(report: report, version: 1, recipient: recipient))
                == "000000156d65646c65646765722f6b65792d777261702f7631000102030405060708090a0b0c0d0e0f00000001abababababababababababababababababababababababababababababababab"
        )
    }
}

/// The worked example "one sealed version" of `docs/spec/vault.md`. AES-GCM is given the
/// documented nonces, so blob and metadata are reproduced exactly; the HPKE envelope has a
/// random ephemeral key, so the documented envelope is opened instead of reproduced.
@Suite struct SealedVersionSpecTests {
    let report = ReportID(bytes: Array(0...15))!
    /// RFC 8032 TEST 1 (signing) and RFC 7748 Alice (encryption): the patient of transactions.md.
    let patient = IdentityKeys(
        signing: try! .init(
            rawRepresentation: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!),
        encryption: try! .init(
            rawRepresentation: Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")!))
    let dataKey = SymmetricKey(data: Array(0x00...0x1f) as [UInt8])
    let plaintext = Array("Hemoglobin 13.5 g/dL".utf8)
    let salt = Array(0x20...0x3f) as [UInt8]

    // Copied from the document.
    static let blob =
        "404142434445464748494a4b" + "aadcc34c4150e861a4aa3707a84a267b1ee93610"
        + "cd98962ff9b4197532a0f7303f26f420"
    static let contentAddress = "d6554ac183e82aeaa6ee422f76835740d65b03072626b5a1ab0408fe6482d885"
    static let metadata =
        "00000014436f6d706c65746520626c6f6f6420636f756e74" + "01" + "0000000a323032362d30312d3135"
        + "00" + "202122232425262728292a2b2c2d2e2f303132333435363738393a3b3c3d3e3f"
    static let metadataAAD =
        "0000001c6d65646c65646765722f7265706f72742d6d657461646174612f7631000102030405060708090a0b0c0d0e0f00000001"
    static let encryptedMetadata =
        "505152535455565758595a5b"
        + "92273660a73fd49630d34900ed83efba8c4bdd884d04f4562589e0dbfa72a54667c2baec4617a6b449fbc7bdf1a7dff0f9025c3206307c42aff7d6379bfc32a50853e6a1b5ce294e"
        + "6f1fedddbec4297aa37363aa32f220b3"
    static let commitment = "f2c20e6f21198f593f5949b1deaa80abbc92ff6d0276245914148e2a59ab93af"
    static let keyWrapInfo =
        "000000156d65646c65646765722f6b65792d777261702f7631000102030405060708090a0b0c0d0e0f00000001"
        + "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
    static let envelope =
        "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9"
        + "00000020" + "d2db25f2dc5e1f44b649e5566c01929b7a0b285c3474fea46fd19bc1bf7d5c33"
        + "00000030"
        + "d3c037c5d5828b179879f78873d656e814fc20b96f72cbb2c452182bcf0c5d8ffde91ba244daca95c93ae033e493f6c8"

    @Test func blobMatchesTheSpec() throws {
        let nonce = try AES.GCM.Nonce(data: Array(0x40...0x4b) as [UInt8])
        let sealed = try AES.GCM.seal(
            plaintext, using: dataKey, nonce: nonce,
            authenticating: ReportCrypto.contentAAD(report: report, version: 1))
        let blob = Array(try #require(sealed.combined))
        #expect(Hex.encode(blob) == Self.blob)
        #expect(Hash256.of(blob).hex == Self.contentAddress)
        // The documented blob opens the way the vault opens every blob.
        let documented = try #require(Hex.decode(Self.blob))
        let opened = try ReportCrypto.aesOpen(
            documented, key: dataKey,
            aad: ReportCrypto.contentAAD(report: report, version: 1), what: "blob")
        #expect(opened == plaintext)
    }

    @Test func metadataMatchesTheSpec() throws {
        let metadata = try ReportMetadata(
            title: "Complete blood count", effectiveDate: "2026-01-15", note: nil, salt: salt)
        #expect(Hex.encode(metadata.canonicalBytes) == Self.metadata)
        #expect(Hex.encode(ReportCrypto.metadataAAD(report: report, version: 1)) == Self.metadataAAD)
        let nonce = try AES.GCM.Nonce(data: Array(0x50...0x5b) as [UInt8])
        let sealed = try AES.GCM.seal(
            metadata.canonicalBytes, using: dataKey, nonce: nonce,
            authenticating: ReportCrypto.metadataAAD(report: report, version: 1))
        let encrypted = Array(try #require(sealed.combined))
        #expect(Hex.encode(encrypted) == Self.encryptedMetadata)
        let opened = try ReportCrypto.aesOpen(
            try #require(Hex.decode(Self.encryptedMetadata)), key: dataKey,
            aad: ReportCrypto.metadataAAD(report: report, version: 1), what: "metadata")
        #expect(try ReportMetadata.decode(canonical: opened) == metadata)
    }

    @Test func commitmentMatchesTheSpec() {
        #expect(ReportCrypto.commitment(salt: salt, plaintext: plaintext).hex == Self.commitment)
    }

    @Test func documentedEnvelopeOpensToTheDataKey() throws {
        #expect(
            Hex.encode(ReportCrypto.keyWrapInfo(report: report, version: 1, recipient: patient.identityID))
                == Self.keyWrapInfo)
        let envelope = try KeyEnvelope.decode(canonical: try #require(Hex.decode(Self.envelope)))
        #expect(envelope.recipient == patient.identityID)
        let opened = try ReportCrypto.unwrap(envelope, using: patient, report: report, version: 1)
        #expect(opened == dataKey)
        // Bound to the report version: the same envelope does not open for version 2.
        #expect(throws: VaultError.self) {
            try ReportCrypto.unwrap(envelope, using: self.patient, report: self.report, version: 2)
        }
    }

    @Test func freshEnvelopeHasTheDocumentedShape() throws {
        let envelope = try ReportCrypto.wrap(
            dataKey: dataKey, for: patient.identityID, key: patient.publicEncryptionKey,
            report: report, version: 1)
        #expect(envelope.encapsulatedKey.count == 32)
        #expect(envelope.wrappedKey.count == 48)
        #expect(Hex.encode(envelope.canonicalBytes).hasPrefix(patient.identityID.hex + "00000020"))
        #expect(try ReportCrypto.unwrap(envelope, using: patient, report: report, version: 1) == dataKey)
    }
}

@Suite struct VaultSpecDocumentTests {
    @Test func documentPrintsThePinnedBytes() throws {
        let document = try SpecDocument.hex("docs/spec/vault.md")
        let S = SealedVersionSpecTests.self
        for pinned in [
            S.blob, S.contentAddress, S.metadata, S.metadataAAD, S.encryptedMetadata, S.commitment,
            S.keyWrapInfo, S.envelope,
        ] {
            #expect(document.contains(pinned), "docs/spec/vault.md does not show \(pinned)")
        }
    }
}
