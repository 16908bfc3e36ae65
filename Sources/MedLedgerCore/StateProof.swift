/// Proof that one state entry (key and value) is in the state whose root a block header
/// commits to: the siblings on the path from the entry's leaf up to the root of the sparse
/// Merkle tree (see `SparseMerkle` and `docs/spec/contracts.md`, state root).
///
/// A client that checks it against a header with a valid commit certificate knows the
/// entry is what the validators agreed on, whatever node served it.
public struct StateProof: Hashable, Sendable, CanonicalCodable {
    /// The sibling hashes from the leaf's depth up to the root's children; the leaf sits at
    /// depth `siblings.count`. An empty sibling subtree is `SparseMerkle.emptyHash`.
    public let siblings: [Hash256]

    public init(siblings: [Hash256]) {
        self.siblings = siblings
    }

    /// Whether `key` → `value` is in the state with `stateRoot`: the leaf is hashed, then
    /// each sibling joined on the side the key's path bit at that depth says.
    public func verifies(key: [UInt8], value: [UInt8], stateRoot: Hash256) -> Bool {
        guard siblings.count <= SparseMerkle.maxDepth else { return false }
        let path = SparseMerkle.Digest.of(key)
        var node = SparseMerkle.leafHash(keyHash: path, valueHash: .of(value))
        for (index, sibling) in siblings.enumerated() {
            let depth = siblings.count - 1 - index
            let other = SparseMerkle.Digest(sibling)
            node = path.bit(at: depth) ? SparseMerkle.branchHash(other, node) : SparseMerkle.branchHash(node, other)
        }
        return node == SparseMerkle.Digest(stateRoot)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(array: siblings)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        siblings = try decoder.readArray(Hash256.self, "siblings", maxCount: SparseMerkle.maxDepth)
    }
}
