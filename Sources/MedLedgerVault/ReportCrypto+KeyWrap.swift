import Crypto
import MedLedgerCore
// HPKE takes and returns Data; FoundationEssentials is the lighter module where it exists (Linux).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ReportCrypto {
    /// Seals a report's data key to one recipient with HPKE base mode, in the suite of the
    /// recipient's key (`ciphersuite(_:)`).
    ///
    /// The HPKE info is canonical ("medledger/key-wrap/v1", report, version, recipient), so the
    /// envelope opens only for that report version and under that recipient id.
    ///
    /// - Throws: `.invalidDataKey` unless the key is 256 bits; `.wrapFailed` when the recipient
    ///   key is unusable (a small-order X25519 point, which would make the envelope public, or
    ///   an X-Wing key BoringSSL refuses).
    public static func wrap(
        dataKey: SymmetricKey, for recipient: IdentityID, key: PublicEncryptionKey,
        report: ReportID, version: ReportVersion
    ) throws(VaultError) -> KeyEnvelope {
        try checkDataKey(dataKey)
        let info = keyWrapInfo(report: report, version: version, recipient: recipient)
        return try hpkeSeal(dataKey, to: recipient, key: key, info: info)
    }

    /// Opens an envelope with the recipient's private keys and returns the report's data key.
    ///
    /// The info is built from `envelope.recipient`, not from `keys`, because an identity keeps
    /// its id when its keys rotate.
    ///
    /// - Throws: `.suiteMismatch` when the envelope's suite is not the suite of `keys`;
    ///   `.unwrapFailed` for the wrong keys, report or version, a relabelled or altered
    ///   envelope, a small-order encapsulated key, or a wrapped key that is not 256 bits.
    public static func unwrap(
        _ envelope: KeyEnvelope, using keys: IdentityKeys, report: ReportID, version: ReportVersion
    ) throws(VaultError) -> SymmetricKey {
        try checkSuite(envelope, keys: keys, what: "envelope")
        let info = keyWrapInfo(report: report, version: version, recipient: envelope.recipient)
        let raw: Data
        do {
            raw = try hpkeOpen(envelope, using: keys, info: info)
        } catch {
            throw .unwrapFailed.with(
                "envelope for \(envelope.recipient) does not open with these keys for report \(report) version \(version)"
            )
        }
        guard raw.count == dataKeyByteCount else {
            throw .unwrapFailed.with(
                "envelope for \(envelope.recipient) holds \(raw.count) bytes, not a \(dataKeyByteCount)-byte data key")
        }
        return SymmetricKey(data: raw)
    }

    /// Refuses, naming both suites, an envelope sealed in another suite than `keys` hold
    /// (`.suiteMismatch`), or in none: an encapsulated key of a length no suite has, which is
    /// a damaged envelope (`.unwrapFailed`).
    static func checkSuite(_ envelope: KeyEnvelope, keys: IdentityKeys, what: String) throws(VaultError) {
        let expected = keys.encryption.suite
        guard let suite = envelope.suite else {
            throw .unwrapFailed.with(
                "\(what) for \(envelope.recipient) has a \(envelope.encapsulatedKey.count)-byte encapsulated key, which is no suite's (\(expected) is \(expected.encapsulatedKeyByteCount))"
            )
        }
        guard suite == expected else {
            throw .suiteMismatch.with(
                "\(what) for \(envelope.recipient) is sealed with \(suite), but the key that should open it is \(expected)"
            )
        }
    }

    /// HPKE base mode to one recipient's key, in that key's suite, under `info`.
    ///
    /// - Throws: `.wrapFailed` when the recipient key is unusable (an X25519 small-order point,
    ///   which would make the envelope public, or an X-Wing key BoringSSL cannot encapsulate to).
    static func hpkeSeal(
        _ secret: some ContiguousBytes, to recipient: IdentityID, key: PublicEncryptionKey, info: [UInt8]
    ) throws(VaultError) -> KeyEnvelope {
        var sender: HPKE.Sender
        switch key.suite {
        case .x25519: sender = try x25519Sender(to: recipient, key: key, info: info)
        case .xwing: sender = try xwingSender(to: recipient, key: key, info: info)
        }
        let wrapped: Data
        do {
            // Seal straight from the secret's storage: no extra copy of it in an array.
            wrapped = try secret.withUnsafeBytes { try sender.seal($0) }
        } catch {
            throw .wrapFailed.with("HPKE could not seal to \(recipient)'s \(key.suite) key: \(error)")
        }
        let envelope = KeyEnvelope(
            recipient: recipient, encapsulatedKey: Array(sender.encapsulatedKey), wrappedKey: Array(wrapped))
        // The suite on the wire is the encapsulated key's length: it must name this suite.
        precondition(envelope.suite == key.suite, "HPKE \(key.suite) encapsulation of an unexpected length")
        return envelope
    }

    private static func x25519Sender(
        to recipient: IdentityID, key: PublicEncryptionKey, info: [UInt8]
    ) throws(VaultError) -> HPKE.Sender {
        let recipientKey: Curve25519.KeyAgreement.PublicKey
        do {
            recipientKey = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: key.rawBytes)
        } catch {
            throw .wrapFailed.with("\(recipient)'s encryption key \(key.hex) is not an X25519 key")
        }
        // A small-order key would make the HPKE shared secret all zeros, i.e. public: anyone
        // reading the ledger could unwrap. swift-crypto does not reject it (RFC 9180 §7.1.4 says
        // to), so check with a throwaway key: the result is zero exactly for small-order points.
        guard producesNonZeroSecret(recipientKey, with: Curve25519.KeyAgreement.PrivateKey()) else {
            throw .wrapFailed.with("\(recipient)'s encryption key \(key.hex) is a small-order X25519 point")
        }
        do {
            return try HPKE.Sender(recipientKey: recipientKey, ciphersuite: ciphersuite(.x25519), info: Data(info))
        } catch {
            throw .wrapFailed.with("HPKE refused \(recipient)'s encryption key \(key.hex): \(error)")
        }
    }

    private static func xwingSender(
        to recipient: IdentityID, key: PublicEncryptionKey, info: [UInt8]
    ) throws(VaultError) -> HPKE.Sender {
        do {
            // BoringSSL refuses a key whose ML-KEM part is not reduced or whose X25519 part
            // has small order (here: a throw, never a trap); `PublicEncryptionKey` already
            // refuses both when it is decoded.
            let recipientKey = try XWingMLKEM768X25519.PublicKey(rawRepresentation: key.rawBytes)
            return try HPKE.Sender(recipientKey: recipientKey, ciphersuite: ciphersuite(.xwing), info: Data(info))
        } catch {
            throw .wrapFailed.with("HPKE refused \(recipient)'s X-Wing encryption key: \(error)")
        }
    }

    /// Opens an HPKE envelope under `info` with the private key of `keys`; throws for another
    /// suite, the wrong keys or info, an altered envelope, or a small-order encapsulated key.
    static func hpkeOpen(_ envelope: KeyEnvelope, using keys: IdentityKeys, info: [UInt8]) throws -> Data {
        guard envelope.suite == keys.encryption.suite else { throw VaultError.suiteMismatch }
        switch keys.encryption {
        case .x25519(let privateKey):
            // Same RFC 9180 check on the recipient side: refuse an encapsulated key that would
            // give a zero shared secret rather than derive a key from it.
            let ephemeral = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: envelope.encapsulatedKey)
            guard producesNonZeroSecret(ephemeral, with: privateKey) else { throw VaultError.unwrapFailed }
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: ciphersuite(.x25519),
                info: Data(info), encapsulatedKey: Data(envelope.encapsulatedKey))
            return try recipient.open(envelope.wrappedKey)
        case .xwing(let privateKey):
            // ML-KEM decapsulation never fails on a well-sized ciphertext (implicit
            // rejection): a forged one gives an unrelated secret, and the AEAD refuses it.
            var recipient = try HPKE.Recipient(
                privateKey: privateKey, ciphersuite: ciphersuite(.xwing),
                info: Data(info), encapsulatedKey: Data(envelope.encapsulatedKey))
            return try recipient.open(envelope.wrappedKey)
        }
    }

    /// False when X25519(`privateKey`, `publicKey`) is all zeros, which for a clamped scalar
    /// happens exactly when `publicKey` has small order.
    private static func producesNonZeroSecret(
        _ publicKey: Curve25519.KeyAgreement.PublicKey, with privateKey: Curve25519.KeyAgreement.PrivateKey
    ) -> Bool {
        guard let secret = try? privateKey.sharedSecretFromKeyAgreement(with: publicKey) else { return false }
        // On the unwrap side this is the real shared secret: OR every byte, no early exit.
        return secret.withUnsafeBytes { bytes in bytes.reduce(0, |) != 0 }
    }
}
