import Crypto

/// The private half of an identity: an Ed25519 signing key and an encryption key of either
/// suite. Lives in key files and in memory of clients and nodes; never on the ledger.
public struct IdentityKeys: Sendable {
    public let signing: Curve25519.Signing.PrivateKey
    public let encryption: PrivateEncryptionKey

    public init(signing: Curve25519.Signing.PrivateKey, encryption: PrivateEncryptionKey) {
        self.signing = signing
        self.encryption = encryption
    }

    /// Keys with an X25519 encryption key.
    public init(signing: Curve25519.Signing.PrivateKey, encryption: Curve25519.KeyAgreement.PrivateKey) {
        self.init(signing: signing, encryption: .x25519(encryption))
    }

    /// Fresh random keys.
    public static func generate(suite: EncryptionSuite = .x25519) -> IdentityKeys {
        IdentityKeys(signing: .init(), encryption: .generate(suite: suite))
    }

    /// Keys derived from a seed string; for tests and reproducible fixtures only.
    public static func deterministic(seed: String, suite: EncryptionSuite = .x25519) -> IdentityKeys {
        let signingSeed = Hash256.of(Array("medledger/test-signing/\(seed)".utf8)).bytes
        let encryptionSeed = Hash256.of(Array("medledger/test-encryption/\(seed)".utf8)).bytes
        return IdentityKeys(
            signing: try! .init(rawRepresentation: signingSeed),
            encryption: try! PrivateEncryptionKey(suite: suite, rawRepresentation: encryptionSeed))
    }

    public var publicSigningKey: PublicSigningKey {
        PublicSigningKey(rawBytes: Array(signing.publicKey.rawRepresentation))!
    }
    public var publicEncryptionKey: PublicEncryptionKey { encryption.publicKey }
    /// The id this identity gets when registered with these (first) keys.
    public var identityID: IdentityID { IdentityID(signingKey: publicSigningKey) }

    public func sign(_ message: [UInt8]) -> Signature {
        Signature(rawBytes: Array(try! signing.signature(for: message)))!
    }
}
