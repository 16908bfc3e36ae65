/// Proof that one state entry (key and value) is in the state whose root a block header
/// commits to: the entry's path inside its bucket's RFC 6962 tree, then the bucket root's
/// path in the tree of the 65,536 bucket roots (see `docs/spec/contracts.md`, state root).
///
/// A client that checks it against a header with a valid commit certificate knows the
/// entry is what the validators agreed on, whatever node served it.
public struct StateProof: Hashable, Sendable, CanonicalCodable {
    public let bucket: MerkleProof
    public let top: MerkleProof

    public init(bucket: MerkleProof, top: MerkleProof) {
        self.bucket = bucket
        self.top = top
    }

    /// The leaf an entry contributes to its bucket: `key || SHA-256(value)`.
    public static func leafHash(key: [UInt8], value: [UInt8]) -> Hash256 {
        Merkle.leafHash(key + Hash256.of(value).bytes)
    }

    /// Whether `key` → `value` is in the state with `stateRoot`. The bucket proof's root is
    /// recomputed, then checked as a leaf hash at the top level (bucket roots are the top
    /// tree's leaf hashes as they stand).
    public func verifies(key: [UInt8], value: [UInt8], stateRoot: Hash256) -> Bool {
        guard top.treeSize == UInt64(StateBuckets.count), top.leafIndex == UInt64(StateBuckets.index(ofKey: key)),
            let bucketRoot = bucket.root(leafHash: Self.leafHash(key: key, value: value))
        else { return false }
        return top.verifies(leafHash: bucketRoot, root: stateRoot)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(bucket)
        encoder.write(top)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        bucket = try decoder.read(MerkleProof.self)
        top = try decoder.read(MerkleProof.self)
    }
}
