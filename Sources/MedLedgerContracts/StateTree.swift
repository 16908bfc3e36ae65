import MedLedgerCore

/// The state root: 256 buckets by the first id byte; each bucket is an RFC 6962 tree over
/// its entries sorted by key, each leaf `key || SHA-256(value)`; the root is an RFC 6962
/// tree over the 256 bucket roots. Only buckets that changed are rehashed, so a block costs
/// work in proportion to what it touched, not to the size of the state.
struct StateTree: Sendable {
    static let bucketCount = 256
    private var leaves: [[[UInt8]: Hash256]] = Array(repeating: [:], count: bucketCount)
    private var bucketRoots: [Hash256] = Array(repeating: .empty, count: bucketCount)
    private var dirtyBuckets: Set<Int> = []
    private var cachedRoot: Hash256?

    mutating func update(key: StateKey, value: [UInt8]?) {
        let bucket = key.bucket
        let keyBytes = key.bytes
        if let value {
            leaves[bucket][keyBytes] = Merkle.leafHash(keyBytes + Hash256.of(value).bytes)
        } else {
            leaves[bucket][keyBytes] = nil
        }
        dirtyBuckets.insert(bucket)
        cachedRoot = nil
    }

    /// Proof of `key`'s current leaf, or nil when the key has no entry. Call after `root()`.
    func proof(for key: StateKey) -> StateProof? {
        precondition(dirtyBuckets.isEmpty && cachedRoot != nil, "compute the root before proving")
        let bucket = key.bucket
        let sorted = leaves[bucket].sorted { $0.key.lexicographicallyPrecedes($1.key) }
        guard let index = sorted.firstIndex(where: { $0.key == key.bytes }) else { return nil }
        let inBucket = Merkle.proof(leafHashes: sorted.map(\.value), index: index)
        let top = Merkle.proof(leafHashes: bucketRoots, index: bucket)
        return StateProof(bucket: inBucket, top: top)
    }

    mutating func root() -> Hash256 {
        if let cachedRoot { return cachedRoot }
        for bucket in dirtyBuckets {
            let sorted = leaves[bucket].sorted { $0.key.lexicographicallyPrecedes($1.key) }
            bucketRoots[bucket] = Merkle.root(leafHashes: sorted.map(\.value))
        }
        dirtyBuckets.removeAll(keepingCapacity: true)
        let root = Merkle.root(leafHashes: bucketRoots)
        cachedRoot = root
        return root
    }
}

extension LedgerState {
    /// The root over all entries. Call after `takeChanges()`; pending changes are a bug.
    public mutating func stateRoot() -> Hash256 {
        precondition(dirty.isEmpty, "take the changes before computing the root")
        return tree.root()
    }

    /// The entry at `key` with its proof against `stateRoot()`, or nil when there is none.
    public mutating func provenEntry(_ key: StateKey) -> (value: [UInt8], proof: StateProof)? {
        guard dirty.isEmpty else { return nil }  // genesis entries not yet in a block
        _ = stateRoot()
        guard let value = encodedValue(key), let proof = tree.proof(for: key) else { return nil }
        return (value, proof)
    }
}
