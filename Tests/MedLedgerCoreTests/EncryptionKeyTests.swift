import Crypto
import Foundation
import Testing

@testable import MedLedgerCore

/// Encryption keys of both suites on the wire (ADR 11): X25519 keeps its 32 plain bytes,
/// X-Wing takes the extended form, and garbage of either kind throws.
@Suite struct EncryptionKeyTests {
    static let xwing = IdentityKeys.deterministic(seed: "key-tests", suite: .xwing).publicEncryptionKey
    static let x25519 = IdentityKeys.deterministic(seed: "key-tests").publicEncryptionKey

    @Test func anX25519KeyKeepsItsPlain32Bytes() throws {
        #expect(Self.x25519.suite == .x25519)
        #expect(Self.x25519.canonicalBytes == Self.x25519.rawBytes)
        #expect(try PublicEncryptionKey.decode(canonical: Self.x25519.rawBytes) == Self.x25519)
    }

    @Test func anXWingKeyTakesTheExtendedForm() throws {
        #expect(Self.xwing.suite == .xwing)
        #expect(Self.xwing.rawBytes.count == 1_216)
        let bytes = Self.xwing.canonicalBytes
        #expect(bytes.count == 32 + 1 + 1_216)
        #expect(Array(bytes.prefix(32)) == [UInt8](repeating: 0, count: 32))
        #expect(bytes[32] == 2)
        #expect(Array(bytes.suffix(1_216)) == Self.xwing.rawBytes)
        #expect(try PublicEncryptionKey.decode(canonical: bytes) == Self.xwing)
    }

    @Test func hexNamesTheSuiteByLength() {
        #expect(PublicEncryptionKey(hex: Self.xwing.hex) == Self.xwing)
        #expect(PublicEncryptionKey(hex: Self.x25519.hex) == Self.x25519)
        #expect(PublicEncryptionKey(hex: String(Self.xwing.hex.dropLast(2))) == nil)
    }

    static func decodeProblem(_ bytes: [UInt8]) -> String? {
        do {
            _ = try PublicEncryptionKey.decode(canonical: bytes)
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test func garbageInTheExtendedFormThrowsNamingWhy() throws {
        let marker = [UInt8](repeating: 0, count: 32)
        let raw = Self.xwing.rawBytes
        // An X25519 key in the extended form: one value, one encoding.
        #expect(Self.decodeProblem(marker + [1] + Self.x25519.rawBytes)?.contains("extended form") == true)
        #expect(Self.decodeProblem(marker + [9] + raw)?.contains("unknown tag 9") == true)
        #expect(Self.decodeProblem(marker + [2] + raw.dropLast()) != nil)
        #expect(Self.decodeProblem(marker) != nil)
        // Every ML-KEM coefficient 0xfff: far above q = 3329.
        #expect(
            Self.decodeProblem(marker + [2] + [UInt8](repeating: 0xff, count: 1_216))?.contains("modulus") == true)
        // One coefficient exactly q (3329 = 0xd01) at the start, the rest of a real key.
        var unreduced = raw
        unreduced[0] = 0x01
        unreduced[1] = (unreduced[1] & 0xf0) | 0x0d
        #expect(Self.decodeProblem(marker + [2] + unreduced)?.contains("modulus") == true)
        // A small-order X25519 half.
        var smallOrder = raw
        smallOrder.replaceSubrange(1_184..<1_216, with: [UInt8](repeating: 0, count: 32))
        smallOrder[1_184] = 1
        #expect(Self.decodeProblem(marker + [2] + smallOrder)?.contains("small-order") == true)
        #expect(PublicEncryptionKey(rawBytes: smallOrder) == nil)
    }

    @Test func theModulusCheckAgreesWithSwiftCryptoKeys() {
        for _ in 0..<20 {
            let key = PrivateEncryptionKey.generate(suite: .xwing).publicKey
            #expect(XWingKeyCheck.problem(key.rawBytes) == nil)
        }
    }

    @Test func keyFilesStoreTheXWingSeedAndName() throws {
        let keys = IdentityKeys.deterministic(seed: "file", suite: .xwing)
        let file = KeyFile(label: "pq", keys: keys)
        #expect(file.encryptionSuite == .xwing)
        #expect(file.encryptionKey.count == 64)
        let json = try JSONEncoder().encode(file)
        #expect(String(decoding: json, as: UTF8.self).contains(#""encryptionSuite":"xwing""#))
        let reread = try KeyFile.decode(json: json).keys()
        #expect(reread.publicEncryptionKey == keys.publicEncryptionKey)
        #expect(reread.identityID == keys.identityID)
    }

    @Test func keyFilesWithoutASuiteAreX25519() throws {
        let keys = IdentityKeys.deterministic(seed: "old-file")
        let json =
            #"{"label":"x","signingKey":"\#(Hex.encode(keys.signing.rawRepresentation))","encryptionKey":"\#(Hex.encode(keys.encryption.rawRepresentation))"}"#
        let reread = try KeyFile.decode(json: Data(json.utf8)).keys()
        #expect(reread.encryption.suite == .x25519)
        #expect(reread.publicEncryptionKey == keys.publicEncryptionKey)
        let bad =
            #"{"label":"x","signingKey":"\#(Hex.encode(keys.signing.rawRepresentation))","encryptionKey":"00","encryptionSuite":"rsa"}"#
        #expect(throws: (any Error).self) { try KeyFile.decode(json: Data(bad.utf8)) }
    }

    @Test func envelopesNameTheirSuiteByTheEncapsulatedKeyLength() {
        let id = IdentityID(signingKey: IdentityKeys.deterministic(seed: "e").publicSigningKey)
        #expect(
            KeyEnvelope(recipient: id, encapsulatedKey: .init(repeating: 1, count: 32), wrappedKey: []).suite == .x25519
        )
        #expect(
            KeyEnvelope(recipient: id, encapsulatedKey: .init(repeating: 1, count: 1_120), wrappedKey: []).suite
                == .xwing)
        #expect(
            KeyEnvelope(recipient: id, encapsulatedKey: .init(repeating: 1, count: 33), wrappedKey: []).suite == nil)
    }
}

/// The envelope's suite is named by its encapsulated key's length, so no two suites may share one.
@Test func everySuiteHasItsOwnEncapsulationLength() {
    let lengths = EncryptionSuite.allCases.map(\.encapsulatedKeyByteCount)
    #expect(Set(lengths).count == lengths.count)
    let keyLengths = EncryptionSuite.allCases.map(\.publicKeyByteCount)
    #expect(Set(keyLengths).count == keyLengths.count)
}
