import Crypto

/// The hashing of the state tree, a binary sparse Merkle tree over SHA-256 paths (see
/// `docs/spec/contracts.md`, state root). Shared by the tree (Contracts) and by `StateProof`,
/// which a client checks without the tree.
///
/// An entry's path is the 256 bits of SHA-256 of its key, most significant bit first. A
/// subtree holding no entry is empty (hash: 32 zero bytes), one holding a single entry is
/// that entry's leaf, and one holding two or more is a branch over its two halves. So the
/// tree is the same whatever order entries arrived in, a leaf sits as deep as needed to
/// tell it from its nearest neighbour (about log2 of the number of entries), and no path
/// is longer than 256 whatever ids clients choose: to push an entry one level deeper
/// takes a key whose SHA-256 shares one more leading bit with another, twice the work.
public enum SparseMerkle {
    /// The deepest a leaf can sit: the bits of a SHA-256 path.
    public static let maxDepth = 256

    /// The hash of an empty subtree.
    public static let emptyHash = Digest.zero

    /// A leaf: SHA-256(0x00 ‖ SHA-256(key) ‖ SHA-256(value)).
    public static func leafHash(keyHash: Digest, valueHash: Digest) -> Digest {
        combine(0x00, keyHash, valueHash)
    }

    /// A branch: SHA-256(0x01 ‖ left ‖ right), an empty side hashed as `emptyHash`.
    public static func branchHash(_ left: Digest, _ right: Digest) -> Digest {
        combine(0x01, left, right)
    }

    /// SHA-256 over a one-byte tag and two digests, hashed from the stack: the tree hashes
    /// this about log2(state size) times per changed entry, so it allocates nothing.
    private static func combine(_ tag: UInt8, _ first: Digest, _ second: Digest) -> Digest {
        withUnsafeTemporaryAllocation(byteCount: 65, alignment: 8) { buffer in
            buffer[0] = tag
            first.store(into: buffer, at: 1)
            second.store(into: buffer, at: 33)
            var hasher = SHA256()
            hasher.update(bufferPointer: UnsafeRawBufferPointer(buffer))
            return Digest(hasher.finalize())
        }
    }

    /// A SHA-256 digest held inline (four words, no heap storage), compared bytewise.
    public struct Digest: Hashable, Comparable, Sendable {
        /// The digest's bytes read as four big-endian words, so comparing words compares bytes.
        let word0: UInt64
        let word1: UInt64
        let word2: UInt64
        let word3: UInt64

        public static let zero = Digest(word0: 0, word1: 0, word2: 0, word3: 0)

        init(word0: UInt64, word1: UInt64, word2: UInt64, word3: UInt64) {
            self.word0 = word0
            self.word1 = word1
            self.word2 = word2
            self.word3 = word3
        }

        public init(_ hash: Hash256) {
            let bytes = hash.bytes
            func word(_ index: Int) -> UInt64 {
                bytes[index * 8..<index * 8 + 8].reduce(0) { $0 << 8 | UInt64($1) }
            }
            self.init(word0: word(0), word1: word(1), word2: word(2), word3: word(3))
        }

        init(_ digest: SHA256.Digest) {
            self = digest.withUnsafeBytes { raw in
                func word(_ index: Int) -> UInt64 {
                    UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: index * 8, as: UInt64.self))
                }
                return Digest(word0: word(0), word1: word(1), word2: word(2), word3: word(3))
            }
        }

        /// SHA-256 of `bytes`.
        public static func of(_ bytes: [UInt8]) -> Digest {
            bytes.withUnsafeBytes { raw in
                var hasher = SHA256()
                hasher.update(bufferPointer: raw)
                return Digest(hasher.finalize())
            }
        }

        public var hash256: Hash256 {
            let words = [word0, word1, word2, word3]
            return Hash256(
                unchecked: words.flatMap { word in (0..<8).map { UInt8(truncatingIfNeeded: word >> (56 - 8 * $0)) } })
        }

        /// Bit `depth` of the path (0 is the most significant bit of the first byte): false
        /// goes left, true goes right.
        public func bit(at depth: Int) -> Bool {
            precondition(depth >= 0 && depth < SparseMerkle.maxDepth, "a path has 256 bits")
            let word =
                switch depth >> 6 {
                case 0: word0
                case 1: word1
                case 2: word2
                default: word3
                }
            return (word >> UInt64(63 - (depth & 63))) & 1 == 1
        }

        /// Writes the 32 bytes at `offset` (unaligned stores are allowed for trivial types).
        func store(into buffer: UnsafeMutableRawBufferPointer, at offset: Int) {
            buffer.storeBytes(of: word0.bigEndian, toByteOffset: offset, as: UInt64.self)
            buffer.storeBytes(of: word1.bigEndian, toByteOffset: offset + 8, as: UInt64.self)
            buffer.storeBytes(of: word2.bigEndian, toByteOffset: offset + 16, as: UInt64.self)
            buffer.storeBytes(of: word3.bigEndian, toByteOffset: offset + 24, as: UInt64.self)
        }

        public static func < (lhs: Digest, rhs: Digest) -> Bool {
            (lhs.word0, lhs.word1, lhs.word2, lhs.word3) < (rhs.word0, rhs.word1, rhs.word2, rhs.word3)
        }
    }
}
