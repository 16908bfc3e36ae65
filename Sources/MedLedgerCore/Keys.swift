import Crypto

/// An Ed25519 public key (32 raw bytes).
public struct PublicSigningKey: Hashable, Sendable, CanonicalCodable {
    public let rawBytes: [UInt8]
    public init?(rawBytes: [UInt8]) {
        guard rawBytes.count == 32, (try? Curve25519.Signing.PublicKey(rawRepresentation: rawBytes)) != nil else {
            return nil
        }
        self.rawBytes = rawBytes
    }
    /// True when `signature` is a valid Ed25519 signature of `message` by this key.
    public func isValidSignature(_ signature: Signature, for message: [UInt8]) -> Bool {
        guard let key = try? Curve25519.Signing.PublicKey(rawRepresentation: rawBytes) else { return false }
        return key.isValidSignature(signature.rawBytes, for: message)
    }
    public var hex: String { Hex.encode(rawBytes) }
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(fixed: rawBytes) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard let key = PublicSigningKey(rawBytes: try decoder.readFixed("signingKey", count: 32)) else {
            throw CanonicalDecodingError(field: "signingKey", reason: "not an Ed25519 public key")
        }
        self = key
    }
}

/// An X25519 public key (32 raw bytes) that report data keys are wrapped to.
public struct PublicEncryptionKey: Hashable, Sendable, CanonicalCodable {
    public let rawBytes: [UInt8]
    /// Returns nil for anything but 32 bytes, and for small-order points: with such a key
    /// X25519 yields an all-zero secret (RFC 9180 §7.1.4), so anyone could unwrap.
    public init?(rawBytes: [UInt8]) {
        guard rawBytes.count == 32, Self.hasFullOrder(rawBytes) else { return nil }
        self.rawBytes = rawBytes
    }

    /// Every encoding of a point of small order, with bit 255 cleared (X25519 ignores it):
    /// 0, 1, the two points of order 8, p - 1, p and p + 1 (the list libsodium checks). A
    /// comparison instead of a trial key agreement, because keys are decoded on every
    /// transaction and every block (a scalar multiplication each was a quarter of a node's CPU).
    static let smallOrderPoints: [[UInt8]] = [
        "0000000000000000000000000000000000000000000000000000000000000000",
        "0100000000000000000000000000000000000000000000000000000000000000",
        "e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800",
        "5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157",
        "ecffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "edffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
        "eeffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff7f",
    ].map { Hex.decode($0)! }

    static func hasFullOrder(_ raw: [UInt8]) -> Bool {
        precondition(raw.count == 32)
        var masked = raw
        masked[31] &= 0x7f
        return !smallOrderPoints.contains(masked)
    }

    public var hex: String { Hex.encode(rawBytes) }
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(fixed: rawBytes) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard let key = PublicEncryptionKey(rawBytes: try decoder.readFixed("encryptionKey", count: 32)) else {
            throw CanonicalDecodingError(field: "encryptionKey", reason: "not a usable X25519 public key (small order)")
        }
        self = key
    }
}

/// An Ed25519 signature (64 bytes). swift-crypto's signatures are randomized, so nothing
/// that must be identical across nodes (a block hash) ever covers a signature.
public struct Signature: Hashable, Sendable, CanonicalCodable {
    public let rawBytes: [UInt8]
    public init?(rawBytes: [UInt8]) {
        guard rawBytes.count == 64 else { return nil }
        self.rawBytes = rawBytes
    }
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(fixed: rawBytes) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(rawBytes: try decoder.readFixed("signature", count: 64))!
    }
}

/// The private half of an identity: an Ed25519 signing key and an X25519 encryption key.
/// Lives in key files and in memory of clients and nodes; never on the ledger.
public struct IdentityKeys: Sendable {
    public let signing: Curve25519.Signing.PrivateKey
    public let encryption: Curve25519.KeyAgreement.PrivateKey

    public init(signing: Curve25519.Signing.PrivateKey, encryption: Curve25519.KeyAgreement.PrivateKey) {
        self.signing = signing
        self.encryption = encryption
    }

    /// Fresh random keys.
    public static func generate() -> IdentityKeys {
        IdentityKeys(signing: .init(), encryption: .init())
    }

    /// Keys derived from a 32-byte seed; for tests and reproducible fixtures only.
    public static func deterministic(seed: String) -> IdentityKeys {
        let signingSeed = Hash256.of(Array("medledger/test-signing/\(seed)".utf8)).bytes
        let encryptionSeed = Hash256.of(Array("medledger/test-encryption/\(seed)".utf8)).bytes
        return IdentityKeys(
            signing: try! .init(rawRepresentation: signingSeed),
            encryption: try! .init(rawRepresentation: encryptionSeed)
        )
    }

    public var publicSigningKey: PublicSigningKey {
        PublicSigningKey(rawBytes: Array(signing.publicKey.rawRepresentation))!
    }
    public var publicEncryptionKey: PublicEncryptionKey {
        PublicEncryptionKey(rawBytes: Array(encryption.publicKey.rawRepresentation))!
    }
    /// The id this identity gets when registered with these (first) keys.
    public var identityID: IdentityID { IdentityID(signingKey: publicSigningKey) }

    public func sign(_ message: [UInt8]) -> Signature {
        Signature(rawBytes: Array(try! signing.signature(for: message)))!
    }
}
