import Crypto
import MedLedgerCore
// HPKE takes and returns Data; FoundationEssentials is the lighter module where it exists (Linux).
#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension ReportCrypto {
    /// Seals a report's data key to one recipient with HPKE base mode (`keyWrapCiphersuite`).
    ///
    /// The HPKE info is canonical ("medledger/key-wrap/v1", report, version, recipient), so the
    /// envelope opens only for that report version and under that recipient id.
    ///
    /// - Throws: `.invalidDataKey` unless the key is 256 bits; `.wrapFailed` when the recipient
    ///   key is unusable (a small-order X25519 point, which would make the envelope public).
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
    /// - Throws: `.unwrapFailed` for the wrong keys, report or version, a relabelled or altered
    ///   envelope, a small-order encapsulated key, or a wrapped key that is not 256 bits.
    public static func unwrap(
        _ envelope: KeyEnvelope, using keys: IdentityKeys, report: ReportID, version: ReportVersion
    ) throws(VaultError) -> SymmetricKey {
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

    /// HPKE base mode (`keyWrapCiphersuite`) to one recipient's X25519 key, under `info`.
    ///
    /// - Throws: `.wrapFailed` when the recipient key is unusable (not X25519, or a
    ///   small-order point, which would make the envelope public).
    static func hpkeSeal(
        _ secret: some ContiguousBytes, to recipient: IdentityID, key: PublicEncryptionKey, info: [UInt8]
    ) throws(VaultError) -> KeyEnvelope {
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
            var sender = try HPKE.Sender(recipientKey: recipientKey, ciphersuite: keyWrapCiphersuite, info: Data(info))
            // Seal straight from the secret's storage: no extra copy of it in an array.
            let wrapped = try secret.withUnsafeBytes { try sender.seal($0) }
            return KeyEnvelope(
                recipient: recipient, encapsulatedKey: Array(sender.encapsulatedKey), wrappedKey: Array(wrapped))
        } catch {
            throw .wrapFailed.with("HPKE refused \(recipient)'s encryption key \(key.hex): \(error)")
        }
    }

    /// Opens an HPKE envelope under `info`; throws for the wrong keys or info, an altered
    /// envelope, or a small-order encapsulated key.
    static func hpkeOpen(_ envelope: KeyEnvelope, using keys: IdentityKeys, info: [UInt8]) throws -> Data {
        // Same RFC 9180 check on the recipient side: refuse an encapsulated key that would
        // give a zero shared secret rather than derive a key from it.
        let ephemeral = try Curve25519.KeyAgreement.PublicKey(rawRepresentation: envelope.encapsulatedKey)
        guard producesNonZeroSecret(ephemeral, with: keys.encryption) else { throw VaultError.unwrapFailed }
        var recipient = try HPKE.Recipient(
            privateKey: keys.encryption, ciphersuite: keyWrapCiphersuite,
            info: Data(info), encapsulatedKey: Data(envelope.encapsulatedKey))
        return try recipient.open(envelope.wrappedKey)
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
