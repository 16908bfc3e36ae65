import MedLedgerCore

/// The state root: 65,536 buckets by `StateBuckets.index`; each bucket is an RFC 6962 tree
/// over its entries sorted by key, each leaf `key || SHA-256(value)`; the root is the RFC
/// 6962 tree over the bucket roots, a perfect binary tree of depth 16 whose nodes are kept,
/// so a block costs work in proportion to what it touched, not to the size of the state.
struct StateTree: Sendable {
    private var leaves: [Int: [[UInt8]: Hash256]] = [:]
    /// `levels[0]` are the bucket roots, `levels[16]` the root; `levels[l][i]` is the node
    /// over buckets `i << l ..< (i + 1) << l`.
    private var levels: [[Hash256]] = StateTree.emptyLevels
    private var dirtyBuckets: Set<Int> = []
    private var cachedRoot: Hash256?

    /// The node hashes of a state with every bucket empty (computed once per process).
    private static let emptyLevels: [[Hash256]] = {
        var levels = [[Hash256](repeating: .empty, count: StateBuckets.count)]
        for level in 1...StateBuckets.levels {
            let below = levels[level - 1]
            let node = Merkle.nodeHash(below[0], below[1])
            levels.append([Hash256](repeating: node, count: below.count / 2))
        }
        precondition(levels.last?.count == 1)
        return levels
    }()

    mutating func update(key: StateKey, value: [UInt8]?) {
        let bucket = key.bucket
        let keyBytes = key.bytes
        if let value {
            leaves[bucket, default: [:]][keyBytes] = StateProof.leafHash(key: keyBytes, value: value)
        } else {
            leaves[bucket]?[keyBytes] = nil
            if leaves[bucket]?.isEmpty == true { leaves[bucket] = nil }
        }
        dirtyBuckets.insert(bucket)
        cachedRoot = nil
    }

    mutating func root() -> Hash256 {
        if let cachedRoot { return cachedRoot }
        var dirty = dirtyBuckets
        for bucket in dirty {
            levels[0][bucket] = Merkle.root(leafHashes: sortedLeaves(bucket))
        }
        for level in 1...StateBuckets.levels {
            dirty = Set(dirty.map { $0 >> 1 })
            for index in dirty {
                levels[level][index] = Merkle.nodeHash(levels[level - 1][2 * index], levels[level - 1][2 * index + 1])
            }
        }
        dirtyBuckets.removeAll(keepingCapacity: true)
        let root = levels[StateBuckets.levels][0]
        cachedRoot = root
        return root
    }

    /// Proof of `key`'s current leaf, or nil when the key has no entry. Call after `root()`.
    func proof(for key: StateKey) -> StateProof? {
        precondition(dirtyBuckets.isEmpty && cachedRoot != nil, "compute the root before proving")
        let bucket = key.bucket
        let sorted = sortedLeaves(bucket)
        guard let index = sortedKeys(bucket).firstIndex(of: key.bytes) else { return nil }
        let inBucket = Merkle.proof(leafHashes: sorted, index: index)
        // Bottom-up siblings in the perfect top tree: what RFC 9162 verification expects.
        let path = (0..<StateBuckets.levels).map { level in levels[level][(bucket >> level) ^ 1] }
        let top = MerkleProof(leafIndex: UInt64(bucket), treeSize: UInt64(StateBuckets.count), path: path)
        return StateProof(bucket: inBucket, top: top)
    }

    private func sortedKeys(_ bucket: Int) -> [[UInt8]] {
        (leaves[bucket] ?? [:]).keys.sorted { $0.lexicographicallyPrecedes($1) }
    }

    private func sortedLeaves(_ bucket: Int) -> [Hash256] {
        let entries = leaves[bucket] ?? [:]
        return sortedKeys(bucket).map { entries[$0]! }
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
