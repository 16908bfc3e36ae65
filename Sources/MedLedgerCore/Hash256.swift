import Crypto

/// A SHA-256 digest: block hashes, transaction hashes, content addresses, state roots.
public struct Hash256: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32
    /// The hash of no bytes, used as the root of an empty Merkle tree (RFC 6962 §2.1).
    public static let empty = Hash256.of([UInt8]())
    /// All zero bytes: the "previous block hash" of the first block.
    public static let zero = Hash256(unchecked: [UInt8](repeating: 0, count: 32))

    public let bytes: [UInt8]

    /// Wraps 32 bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Hash256.byteCount else { return nil }
        self.bytes = bytes
    }

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Hash256.byteCount, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
    }

    /// The 32 bytes in one call: the synthesized version fed them to the hasher one at a
    /// time, and ids and hashes key most of a node's sets and dictionaries (1.6 % of a
    /// validator's samples under load; a set of 10^5 hashes fills and probes about twice as
    /// fast this way). Swift's hasher is seeded per process and never reaches anything
    /// hashed, signed or stored.
    public func hash(into hasher: inout Hasher) {
        bytes.withUnsafeBytes { hasher.combine(bytes: $0) }
    }

    /// Parses 64 hex characters.
    public init?(hex: String) {
        guard let bytes = Hex.decode(hex) else { return nil }
        self.init(bytes: bytes)
    }

    /// SHA-256 of the given bytes.
    public static func of<D: Sequence>(_ data: D) -> Hash256 where D.Element == UInt8 {
        var hasher = SHA256()
        hasher.update(data: Array(data))
        return Hash256(unchecked: Array(hasher.finalize()))
    }

    /// SHA-256 over the concatenation of several parts, without building the concatenation.
    public static func of(parts: [[UInt8]]) -> Hash256 {
        var hasher = SHA256()
        for part in parts { hasher.update(data: part) }
        return Hash256(unchecked: Array(hasher.finalize()))
    }

    public var hex: String { Hex.encode(bytes) }
    public var description: String { hex }

    /// Four 8-byte words instead of the synthesized byte-by-byte loop: ids and hashes are
    /// compared on every dictionary and set probe (1.5 % of a validator's samples in a
    /// profiled burst went to the byte loop).
    public static func == (lhs: Hash256, rhs: Hash256) -> Bool {
        lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                (0..<4).allSatisfy { word(left, $0) == word(right, $0) }
            }
        }
    }

    /// Byte order, compared a big-endian 8-byte word at a time.
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        lhs.bytes.withUnsafeBytes { left in
            rhs.bytes.withUnsafeBytes { right in
                for index in 0..<4 {
                    let (l, r) = (UInt64(bigEndian: word(left, index)), UInt64(bigEndian: word(right, index)))
                    if l != r { return l < r }
                }
                return false
            }
        }
    }

    /// The `index`-th 8-byte word of a digest's 32 bytes, in memory order.
    @inline(__always)
    private static func word(_ bytes: UnsafeRawBufferPointer, _ index: Int) -> UInt64 {
        bytes.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self)
    }
}
