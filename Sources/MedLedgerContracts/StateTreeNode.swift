import MedLedgerCore

/// A node of the state tree. Immutable, so a copy of the state (`var scratch = state`)
/// shares every node with the original, and an update copies only the nodes on the changed
/// paths.
final class StateTreeNode: Sendable {
    enum Content: Sendable {
        /// An entry: its path (SHA-256 of its key); the node's hash binds the value.
        case leaf(path: SparseMerkle.Digest)
        /// Two or more entries below; a nil side is an empty subtree.
        case branch(left: StateTreeNode?, right: StateTreeNode?)
    }

    let hash: SparseMerkle.Digest
    let content: Content

    private init(hash: SparseMerkle.Digest, content: Content) {
        self.hash = hash
        self.content = content
    }

    static func leaf(path: SparseMerkle.Digest, valueHash: SparseMerkle.Digest) -> StateTreeNode {
        StateTreeNode(hash: SparseMerkle.leafHash(keyHash: path, valueHash: valueHash), content: .leaf(path: path))
    }

    /// The subtree over two halves, kept canonical: no entry is nil, and a single leaf
    /// stands for its whole subtree (it floats up to where it is alone). A branch on one side
    /// with nothing on the other stays a branch: it holds two or more entries.
    static func join(_ left: StateTreeNode?, _ right: StateTreeNode?) -> StateTreeNode? {
        switch (left, right) {
        case (nil, nil): return nil
        case (let only?, nil), (nil, let only?):
            if case .leaf = only.content { return only }
        default: break
        }
        let hash = SparseMerkle.branchHash(left?.hash ?? SparseMerkle.emptyHash, right?.hash ?? SparseMerkle.emptyHash)
        return StateTreeNode(hash: hash, content: .branch(left: left, right: right))
    }
}
