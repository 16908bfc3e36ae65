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
