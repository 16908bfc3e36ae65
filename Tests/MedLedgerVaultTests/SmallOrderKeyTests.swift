import Crypto
import Foundation
import MedLedgerCore
import Testing
@testable import MedLedgerVault

/// swift-crypto's X25519 deliberately accepts small-order points and all-zero shared secrets,
/// which RFC 9180 §7.1.4 says HPKE must reject. These tests show the gap and that Vault closes it.
@Suite("small-order X25519 keys")
struct SmallOrderKeyTests {
    /// Small-order points (RFC 7748 §6.1): 0, 1, an order-8 point, and p + 1 (1 encoded
    /// non-canonically). X25519 with any clamped scalar maps each of them to zero.
    static let smallOrderPoints: [[UInt8]] = [
        [UInt8](repeating: 0, count: 32),
        [1] + [UInt8](repeating: 0, count: 31),
        Hex.decode("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800")!,
        Hex.decode("eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f")!,
    ]

    /// The first line of defence is in Core: such a key cannot even be constructed, so it
    /// can never be registered on the ledger or handed to `wrap` or `seal`.
    @Test("a small-order key is not a PublicEncryptionKey", arguments: smallOrderPoints)
    func smallOrderKeysCannotBeConstructed(point: [UInt8]) throws {
        #expect(PublicEncryptionKey(rawBytes: point) == nil)
        var encoder = CanonicalEncoder()
        encoder.write(fixed: point)
        #expect(throws: CanonicalDecodingError.self) { try PublicEncryptionKey.decode(canonical: encoder.bytes) }
    }

    @Test("unwrap refuses an envelope forged from a small-order encapsulated key", arguments: smallOrderPoints)
    func unwrapRefusesSmallOrderEncapsulation(point: [UInt8]) throws {
        // Anyone can build this envelope without the patient's private key, because the
        // shared secret is known to be zero.
        let chosenKey = [UInt8](repeating: 0x42, count: 32)
        let info = ReportCrypto.keyWrapInfo(report: Sample.report, version: 1, recipient: Party.patient.identityID)
        let forged = KeyEnvelope(
            recipient: Party.patient.identityID, encapsulatedKey: point,
            wrappedKey: try ZeroSecretHPKE.seal(
                chosenKey, encapsulatedKey: point, recipientKey: Party.patient.publicEncryptionKey.rawBytes, info: info)
        )

        // Positive control: swift-crypto's HPKE on its own opens it to the forger's key.
        var plain = try HPKE.Recipient(
            privateKey: try #require(Party.patient.encryption.x25519Key),
            ciphersuite: ReportCrypto.ciphersuite(.x25519),
            info: Data(info), encapsulatedKey: Data(point))
        #expect(Array(try plain.open(forged.wrappedKey)) == chosenKey)

        #expect(throws: VaultError.unwrapFailed) {
            try ReportCrypto.unwrap(forged, using: Party.patient, report: Sample.report, version: 1)
        }
    }
}

/// The sender side of RFC 9180 base mode, DHKEM(X25519, HKDF-SHA256), HKDF-SHA256,
/// ChaCha20-Poly1305, for a DH result of 32 zero bytes: what an attacker can compute alone.
private enum ZeroSecretHPKE {
    static func seal(_ plaintext: [UInt8], encapsulatedKey: [UInt8], recipientKey: [UInt8], info: [UInt8]) throws
        -> [UInt8]
    {
        let kemSuite = Array("KEM".utf8) + [0x00, 0x20]
        let eaePRK = labeledExtract(salt: [], label: "eae_prk", ikm: [UInt8](repeating: 0, count: 32), suite: kemSuite)
        let sharedSecret = labeledExpand(
            eaePRK, label: "shared_secret", info: encapsulatedKey + recipientKey, length: 32, suite: kemSuite)

        let suite = Array("HPKE".utf8) + [0x00, 0x20, 0x00, 0x01, 0x00, 0x03]
        let pskIDHash = labeledExtract(salt: [], label: "psk_id_hash", ikm: [], suite: suite)
        let infoHash = labeledExtract(salt: [], label: "info_hash", ikm: info, suite: suite)
        let context = [0x00] + pskIDHash + infoHash
        let secret = labeledExtract(salt: sharedSecret, label: "secret", ikm: [], suite: suite)
        let key = labeledExpand(secret, label: "key", info: context, length: 32, suite: suite)
        let nonce = labeledExpand(secret, label: "base_nonce", info: context, length: 12, suite: suite)

        let box = try ChaChaPoly.seal(
            plaintext, using: SymmetricKey(data: key), nonce: ChaChaPoly.Nonce(data: nonce), authenticating: [UInt8]())
        return Array(box.ciphertext) + Array(box.tag)
    }

    private static func labeledExtract(salt: [UInt8], label: String, ikm: [UInt8], suite: [UInt8]) -> [UInt8] {
        let input = Array("HPKE-v1".utf8) + suite + Array(label.utf8) + ikm
        return Array(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: salt)))
    }

    private static func labeledExpand(_ prk: [UInt8], label: String, info: [UInt8], length: Int, suite: [UInt8])
        -> [UInt8]
    {
        let labeledInfo =
            [UInt8(length >> 8), UInt8(length & 0xff)] + Array("HPKE-v1".utf8) + suite + Array(label.utf8) + info
        return HKDF<SHA256>.expand(pseudoRandomKey: prk, info: labeledInfo, outputByteCount: length)
            .withUnsafeBytes { Array($0) }
    }
}
