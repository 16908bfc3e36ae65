import Crypto

/// The private key report data keys are unwrapped with, of either suite.
///
/// Its stored form (`rawRepresentation`, 32 bytes either way) is the X25519 scalar, or the
/// X-Wing *seed* from which ML-KEM-768 and X25519 keys are expanded (draft-connolly-cfrg-
/// xwing-kem-06 §5.2): the smallest form, and the one the draft and swift-crypto
/// (`seedRepresentation`) define. Equal lengths are why key files name the suite.
public enum PrivateEncryptionKey: Sendable {
    case x25519(Curve25519.KeyAgreement.PrivateKey)
    case xwing(XWingMLKEM768X25519.PrivateKey)

    public var suite: EncryptionSuite {
        switch self {
        case .x25519: .x25519
        case .xwing: .xwing
        }
    }

    /// Byte length of `rawRepresentation`, for both suites.
    public static let rawByteCount = 32

    /// A fresh random key of `suite`.
    public static func generate(suite: EncryptionSuite) -> PrivateEncryptionKey {
        switch suite {
        case .x25519:
            return .x25519(.init())
        case .xwing:
            // Fails only when BoringSSL's generator does; nothing from outside reaches it.
            guard let key = try? XWingMLKEM768X25519.PrivateKey.generate() else {
                preconditionFailure("swift-crypto could not generate an X-Wing key")
            }
            return .xwing(key)
        }
    }

    /// The key of `suite` stored as `raw` (X25519 scalar or X-Wing seed, 32 bytes each).
    /// - Throws: `NodeError(.invalid)` naming the length when it is not 32 bytes.
    public init(suite: EncryptionSuite, rawRepresentation raw: [UInt8]) throws {
        guard raw.count == Self.rawByteCount else {
            throw NodeError(
                .invalid, field: "encryptionKey",
                "a private \(suite) key is \(Self.rawByteCount) bytes, not \(raw.count)")
        }
        switch suite {
        case .x25519: self = .x25519(try .init(rawRepresentation: raw))
        case .xwing: self = .xwing(try .init(seedRepresentation: raw, publicKey: nil))
        }
    }

    /// The X25519 scalar or the X-Wing seed.
    public var rawRepresentation: [UInt8] {
        switch self {
        case .x25519(let key): Array(key.rawRepresentation)
        case .xwing(let key): Array(key.seedRepresentation)
        }
    }

    public var publicKey: PublicEncryptionKey {
        switch self {
        case .x25519(let key):
            return PublicEncryptionKey(suite: .x25519, rawBytes: Array(key.publicKey.rawRepresentation))!
        case .xwing(let key):
            // A key expanded from any seed passes the checks: BoringSSL's ML-KEM keys are
            // reduced and its X25519 public keys are never small-order.
            return PublicEncryptionKey(suite: .xwing, rawBytes: Array(key.publicKey.rawRepresentation))!
        }
    }
}
