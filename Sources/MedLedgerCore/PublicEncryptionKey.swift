/// A public key that report data keys are sealed to: X25519 (32 bytes) or X-Wing (1,216
/// bytes), its suite known from its length.
///
/// Canonical form (ADR 11): an X25519 key is its 32 bytes, exactly as before suites existed,
/// so every existing transaction, record, genesis and validator set keeps its bytes and
/// hashes. Any other suite is written in the *extended form*: 32 zero bytes, the suite's tag
/// (u8), then the key's fixed-length bytes. Zero is a small-order X25519 point, refused as a
/// key since the first release, so the marker can never be mistaken for a real X25519 key.
public struct PublicEncryptionKey: Hashable, Sendable, CanonicalCodable {
    public let suite: EncryptionSuite
    public let rawBytes: [UInt8]

    /// A key of the suite its length names (32 X25519, 1,216 X-Wing); nil when it is neither
    /// or fails its suite's check (`problem(suite:rawBytes:)`).
    public init?(rawBytes: [UInt8]) {
        guard let suite = EncryptionSuite.allCases.first(where: { $0.publicKeyByteCount == rawBytes.count }) else {
            return nil
        }
        self.init(suite: suite, rawBytes: rawBytes)
    }

    /// A key of `suite`; nil when the bytes are not a usable key of it.
    public init?(suite: EncryptionSuite, rawBytes: [UInt8]) {
        guard Self.problem(suite: suite, rawBytes: rawBytes) == nil else { return nil }
        self.suite = suite
        self.rawBytes = rawBytes
    }

    /// Why `rawBytes` is not a usable key of `suite`, or nil when it is.
    ///
    /// X25519: 32 bytes, not a small-order point (with such a key X25519 yields an all-zero
    /// secret, RFC 9180 §7.1.4, so anyone could unwrap). X-Wing: `XWingKeyCheck`.
    public static func problem(suite: EncryptionSuite, rawBytes: [UInt8]) -> String? {
        switch suite {
        case .x25519:
            guard rawBytes.count == 32 else { return "an X25519 public key is 32 bytes, not \(rawBytes.count)" }
            return hasFullOrder(rawBytes) ? nil : "not a usable X25519 public key (small order)"
        case .xwing:
            return XWingKeyCheck.problem(rawBytes)
        }
    }

    /// The 32 bytes that open the extended form. All zeros: the identity point, which
    /// `hasFullOrder` refuses as an X25519 key.
    static let extendedFormMarker = [UInt8](repeating: 0, count: 32)

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

    /// The key's own bytes in hex, without suite or marker (the suite follows from the length).
    public var hex: String { Hex.encode(rawBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        if suite != .x25519 {
            encoder.write(fixed: Self.extendedFormMarker)
            encoder.write(suite)
        }
        encoder.write(fixed: rawBytes)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        let first = try decoder.readFixed("encryptionKey", count: 32)
        var suite = EncryptionSuite.x25519
        var raw = first
        if first == Self.extendedFormMarker {
            suite = try decoder.read(EncryptionSuite.self)
            // One value, one encoding: an X25519 key is always written plainly.
            guard suite != .x25519 else {
                throw CanonicalDecodingError(field: "encryptionKey", reason: "an X25519 key in the extended form")
            }
            raw = try decoder.readFixed("encryptionKey", count: suite.publicKeyByteCount)
        }
        if let problem = Self.problem(suite: suite, rawBytes: raw) {
            throw CanonicalDecodingError(field: "encryptionKey", reason: problem)
        }
        self.suite = suite
        self.rawBytes = raw
    }
}
