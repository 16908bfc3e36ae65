import MedLedgerCore

/// The state root: a binary sparse Merkle tree over the entries, each at the path SHA-256 of
/// its key (see `SparseMerkle` for the hashing and why it holds against chosen ids).
///
/// Changes are staged by `update` and applied together by `root()`, in path order, so each
/// node above several changed entries is rehashed once per block. A block costs about
/// (entries it changed) × log2(entries in the state) hashes, however large the state grows.
struct StateTree: Sendable {
    typealias Digest = SparseMerkle.Digest
    /// One staged change: a path and the new value's hash, or nil to remove the entry.
    typealias Change = (path: Digest, valueHash: Digest?)

    private var top: StateTreeNode?
    /// Changes since the last `root()`, by path; the last write of a key wins.
    private(set) var staged: [Digest: Digest?] = [:]

    /// The tree over `entries` at once, for a restart: no staging dictionary to grow one
    /// entry at a time (most of a 10^6-entry restart's tree time was spent resizing it).
    /// - Throws: `DuplicatePath` when two entries share a path (the same key stored twice).
    static func building(_ entries: [(path: Digest, valueHash: Digest)]) throws(DuplicatePath) -> StateTree {
        let leaves = entries.sorted { $0.path < $1.path }
        for index in leaves.indices.dropFirst() where leaves[index - 1].path == leaves[index].path {
            throw DuplicatePath(path: leaves[index].path)
        }
        var tree = StateTree()
        tree.top = build(leaves.map { StateTreeNode.leaf(path: $0.path, valueHash: $0.valueHash) }[...], depth: 0)
        return tree
    }

    struct DuplicatePath: Error {
        let path: Digest
    }

    mutating func update(key: StateKey, value: [UInt8]?) {
        update(path: key.path, valueHash: value.map { Digest.of($0) })
    }

    /// Stages an entry by its path (tests use it to place entries on chosen paths).
    mutating func update(path: Digest, valueHash: Digest?) {
        staged[path] = .some(valueHash)
    }

    mutating func root() -> Hash256 {
        if !staged.isEmpty {
            // Sorted by path, so every subtree's changes are one contiguous run.
            let changes = staged.map { (path: $0.key, valueHash: $0.value) }.sorted { $0.path < $1.path }
            // Not `keepingCapacity`: a restart stages every entry of the state at once, and a
            // kept capacity for 10^6 entries made each block's copy of the state (a proposal
            // executed on a scratch copy) allocate that capacity again and scatter its few
            // thousand changes over it, a page fault each (docs/performance.md).
            staged = [:]
            top = Self.apply(changes[...], to: top, depth: 0)
        }
        return (top?.hash ?? SparseMerkle.emptyHash).hash256
    }

    /// Proof of `key`'s current leaf, or nil when the key has no entry. Call after `root()`.
    func proof(for key: StateKey) -> StateProof? { proof(path: key.path) }

    func proof(path: Digest) -> StateProof? {
        precondition(staged.isEmpty, "compute the root before proving")
        var siblings = [Hash256]()
        var node = top
        var depth = 0
        while let current = node {
            switch current.content {
            case .leaf(let leafPath):
                guard leafPath == path else { return nil }
                return StateProof(siblings: siblings.reversed())
            case .branch(let left, let right):
                let goRight = path.bit(at: depth)
                siblings.append(((goRight ? left : right)?.hash ?? SparseMerkle.emptyHash).hash256)
                node = goRight ? right : left
                depth += 1
            }
        }
        return nil
    }

    /// The subtree at `depth` after `changes` (sorted by path, all under this subtree).
    private static func apply(_ changes: ArraySlice<Change>, to node: StateTreeNode?, depth: Int) -> StateTreeNode? {
        guard !changes.isEmpty else { return node }
        switch node?.content {
        case .branch(let left, let right):
            let split = firstRightIndex(changes, depth: depth) { $0.path }
            return StateTreeNode.join(
                apply(changes[..<split], to: left, depth: depth + 1),
                apply(changes[split...], to: right, depth: depth + 1))
        case .leaf?, nil:
            // An empty subtree, or a lone entry that stays unless a change replaces or removes it.
            var leaves = changes.compactMap { change in
                change.valueHash.map { StateTreeNode.leaf(path: change.path, valueHash: $0) }
            }
            if let node, case let lone = path(of: node), !changes.contains(where: { $0.path == lone }) {
                let position = leaves.firstIndex { lone < path(of: $0) } ?? leaves.endIndex
                leaves.insert(node, at: position)
            }
            return build(leaves[...], depth: depth)
        }
    }

    /// The canonical subtree at `depth` over `leaves` (sorted by path).
    private static func build(_ leaves: ArraySlice<StateTreeNode>, depth: Int) -> StateTreeNode? {
        guard leaves.count > 1 else { return leaves.first }
        let split = firstRightIndex(leaves, depth: depth, path: path(of:))
        return StateTreeNode.join(
            build(leaves[..<split], depth: depth + 1),
            build(leaves[split...], depth: depth + 1))
    }

    /// The first item whose path goes right at `depth`: the items are sorted by path and
    /// share the bits above `depth`, so the left ones come first (found by bisection).
    private static func firstRightIndex<Item>(
        _ items: ArraySlice<Item>, depth: Int, path: (Item) -> Digest
    ) -> Int {
        var low = items.startIndex
        var high = items.endIndex
        while low < high {
            let middle = low + (high - low) / 2
            if path(items[middle]).bit(at: depth) { high = middle } else { low = middle + 1 }
        }
        return low
    }

    private static func path(of leaf: StateTreeNode) -> Digest {
        guard case .leaf(let path) = leaf.content else { preconditionFailure("only leaves are built") }
        return path
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
