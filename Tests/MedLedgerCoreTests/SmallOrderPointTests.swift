import Crypto
import Testing
@testable import MedLedgerCore

/// The small-order blocklist is checked against swift-crypto's own X25519: every listed point
/// (with or without bit 255) gives an all-zero shared secret, and random keys are accepted.
@Suite struct SmallOrderPointTests {
    func sharedSecretIsZero(_ raw: [UInt8]) throws -> Bool {
        let key = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: raw)
        let secret = try Curve25519.KeyAgreement.PrivateKey().sharedSecretFromKeyAgreement(with: key)
        return secret.withUnsafeBytes { bytes in bytes.allSatisfy { $0 == 0 } }
    }

    @Test func everyListedPointHasSmallOrder() throws {
        for point in PublicEncryptionKey.smallOrderPoints {
            #expect(try sharedSecretIsZero(point), "\(Hex.encode(point))")
            var highBit = point
            highBit[31] |= 0x80
            #expect(PublicEncryptionKey(rawBytes: point) == nil)
            #expect(PublicEncryptionKey(rawBytes: highBit) == nil)
        }
    }

    @Test func randomKeysAreAccepted() throws {
        for _ in 0..<200 {
            let raw = Array(Curve25519.KeyAgreement.PrivateKey().publicKey.rawRepresentation)
            #expect(try !sharedSecretIsZero(raw))
            #expect(PublicEncryptionKey(rawBytes: raw) != nil)
        }
    }
}
