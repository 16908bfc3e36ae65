import Crypto

/// Merkle trees as RFC 6962 §2.1 defines them: leaves hashed with a 0x00 prefix, inner nodes
/// with 0x01, the split at the largest power of two below the leaf count. The empty tree's
/// root is SHA-256 of nothing.
public enum Merkle {
    // Both hashes feed the hasher without building arrays: a block's transaction and result
    // roots take two of them per transaction, and `Hash256.of(parts:)` allocated two arrays
    // for each.

    public static func leafHash(_ data: [UInt8]) -> Hash256 {
        var hasher = tagged(0x00)
        data.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Hash256(unchecked: Array(hasher.finalize()))
    }

    public static func nodeHash(_ left: Hash256, _ right: Hash256) -> Hash256 {
        var hasher = tagged(0x01)
        left.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        right.bytes.withUnsafeBytes { hasher.update(bufferPointer: $0) }
        return Hash256(unchecked: Array(hasher.finalize()))
    }

    /// A hasher that has taken the one-byte domain tag.
    private static func tagged(_ tag: UInt8) -> SHA256 {
        var hasher = SHA256()
        withUnsafeBytes(of: tag) { hasher.update(bufferPointer: $0) }
        return hasher
    }

    /// Root over leaf data (each hashed as a leaf).
    public static func root(leaves: [[UInt8]]) -> Hash256 { root(leafHashes: leaves.map(leafHash)) }

    /// Root over already-hashed leaves.
    public static func root(leafHashes: [Hash256]) -> Hash256 {
        guard !leafHashes.isEmpty else { return .empty }
        return subtreeRoot(leafHashes[...])
    }

    private static func subtreeRoot(_ hashes: ArraySlice<Hash256>) -> Hash256 {
        precondition(!hashes.isEmpty, "a subtree has at least one leaf")
        if hashes.count == 1 { return hashes.first! }
        let split = largestPowerOfTwo(below: hashes.count)
        let start = hashes.startIndex
        return nodeHash(subtreeRoot(hashes[start..<start + split]), subtreeRoot(hashes[(start + split)...]))
    }

    /// The audit path for leaf `index` (RFC 6962 §2.1.1), ordered from the leaf upward.
    public static func proof(leafHashes: [Hash256], index: Int) -> MerkleProof {
        precondition(index >= 0 && index < leafHashes.count, "leaf index out of range")
        var path = [Hash256]()
        collectPath(leafHashes[...], index: index, into: &path)
        return MerkleProof(leafIndex: UInt64(index), treeSize: UInt64(leafHashes.count), path: path)
    }

    private static func collectPath(_ hashes: ArraySlice<Hash256>, index: Int, into path: inout [Hash256]) {
        if hashes.count <= 1 { return }
        let split = largestPowerOfTwo(below: hashes.count)
        let start = hashes.startIndex
        if index < split {
            collectPath(hashes[start..<start + split], index: index, into: &path)
            path.append(subtreeRoot(hashes[(start + split)...]))
        } else {
            collectPath(hashes[(start + split)...], index: index - split, into: &path)
            path.append(subtreeRoot(hashes[start..<start + split]))
        }
    }

    /// The largest power of two strictly less than `count` (count >= 2).
    static func largestPowerOfTwo(below count: Int) -> Int {
        precondition(count >= 2)
        var power = 1
        while power << 1 < count { power <<= 1 }
        return power
    }
}

/// An inclusion proof: checkable offline with only the leaf, the proof and the root.
public struct MerkleProof: Hashable, Sendable, Codable, CanonicalCodable {
    public let leafIndex: UInt64
    public let treeSize: UInt64
    public let path: [Hash256]

    public init(leafIndex: UInt64, treeSize: UInt64, path: [Hash256]) {
        self.leafIndex = leafIndex
        self.treeSize = treeSize
        self.path = path
    }

    /// Verifies per RFC 9162 §2.1.3.2.
    public func verifies(leafHash: Hash256, root: Hash256) -> Bool {
        self.root(leafHash: leafHash) == root
    }

    /// The root this proof leads to from `leafHash`, or nil when the proof is malformed.
    public func root(leafHash: Hash256) -> Hash256? {
        guard leafIndex < treeSize, path.count <= Limits.merklePathMaxCount else { return nil }
        var fn = leafIndex
        var sn = treeSize - 1
        var result = leafHash
        for sibling in path {
            if sn == 0 { return nil }
            if fn & 1 == 1 || fn == sn {
                result = Merkle.nodeHash(sibling, result)
                if fn & 1 == 0 {
                    while fn & 1 == 0 && fn != 0 {
                        fn >>= 1
                        sn >>= 1
                    }
                }
            } else {
                result = Merkle.nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        return sn == 0 ? result : nil
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(leafIndex)
        encoder.write(treeSize)
        encoder.write(array: path)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        leafIndex = try decoder.readUInt64("leafIndex")
        treeSize = try decoder.readUInt64("treeSize")
        path = try decoder.readArray(Hash256.self, "path", maxCount: Limits.merklePathMaxCount)
    }
}

extension Hash256: Codable {
    public init(from decoder: any Decoder) throws {
        let text = try decoder.singleValueContainer().decode(String.self)
        guard let hash = Hash256(hex: text) else {
            throw DecodingError.dataCorrupted(
                .init(codingPath: decoder.codingPath, debugDescription: "expected 64 hex characters"))
        }
        self = hash
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(hex)
    }
}
