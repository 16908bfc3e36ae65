import Crypto

/// A SHA-256 digest: block hashes, transaction hashes, content addresses, state roots.
public struct Hash256: Hashable, Comparable, Sendable, CustomStringConvertible {
    public static let byteCount = 32
    /// The hash of no bytes, used as the root of an empty Merkle tree (RFC 6962 §2.1).
    public static let empty = Hash256.of([UInt8]())
    /// All zero bytes: the "previous block hash" of the first block.
    public static let zero = Hash256(unchecked: [UInt8](repeating: 0, count: 32))

    public let bytes: [UInt8]
    /// The same 32 bytes as four 8-byte words in memory order, kept inline. Ids and hashes
    /// key most of a node's sets and dictionaries, and comparing or hashing `bytes` first
    /// loads a separate heap buffer, for a stored key usually a cache miss: in a profiled
    /// burst, `==` inside dictionary probes was the leaf of 2.5 % of the nodes' samples
    /// besides signatures. Equality, order and hashing read only these words.
    private let words: (UInt64, UInt64, UInt64, UInt64)

    /// Wraps 32 bytes; returns nil for any other length.
    public init?(bytes: [UInt8]) {
        guard bytes.count == Hash256.byteCount else { return nil }
        self.init(unchecked: bytes)
    }

    init(unchecked bytes: [UInt8]) {
        precondition(bytes.count == Hash256.byteCount, "a SHA-256 digest has 32 bytes")
        self.bytes = bytes
        self.words = bytes.withUnsafeBytes { raw in
            (
                raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self),
                raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self)
            )
        }
    }

    /// The 32 bytes in one call: the synthesized version fed them to the hasher one at a
    /// time (a set of 10^5 hashes fills and probes about twice as fast this way). Swift's
    /// hasher is seeded per process and never reaches anything hashed, signed or stored.
    public func hash(into hasher: inout Hasher) {
        withUnsafeBytes(of: words) { hasher.combine(bytes: $0) }
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

    /// Four inline words instead of the synthesized byte-by-byte loop over `bytes`.
    public static func == (lhs: Hash256, rhs: Hash256) -> Bool {
        lhs.words.0 == rhs.words.0 && lhs.words.1 == rhs.words.1 && lhs.words.2 == rhs.words.2
            && lhs.words.3 == rhs.words.3
    }

    /// Byte order: the words are in memory order, so each is compared as big-endian.
    public static func < (lhs: Hash256, rhs: Hash256) -> Bool {
        if lhs.words.0 != rhs.words.0 { return UInt64(bigEndian: lhs.words.0) < UInt64(bigEndian: rhs.words.0) }
        if lhs.words.1 != rhs.words.1 { return UInt64(bigEndian: lhs.words.1) < UInt64(bigEndian: rhs.words.1) }
        if lhs.words.2 != rhs.words.2 { return UInt64(bigEndian: lhs.words.2) < UInt64(bigEndian: rhs.words.2) }
        return UInt64(bigEndian: lhs.words.3) < UInt64(bigEndian: rhs.words.3)
    }
}
