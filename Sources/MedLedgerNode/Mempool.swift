import MedLedgerCore
import MedLedgerContracts

/// Transactions waiting for a block, in arrival order. Every transaction here has a valid
/// signature (checked once, on admission) and a nonce above both the signer's committed
/// nonce and any nonce of theirs already waiting, so a block executes them in order.
struct Mempool: Sendable {
    private(set) var queue: [Transaction] = []
    private var head = 0
    private var hashes: Set<Hash256> = []
    private var highestPendingNonce: [IdentityID: UInt64] = [:]

    var count: Int { queue.count - head }
    var isEmpty: Bool { count == 0 }

    func contains(_ hash: Hash256) -> Bool { hashes.contains(hash) }

    /// Admits a transaction or says why not. Stateful checks mirror the contract's `admit`,
    /// so a refused transaction never takes space in a block.
    mutating func admit(_ tx: Transaction, engine: ContractEngine, state: LedgerState) throws(NodeError) {
        guard count < Limits.mempoolMaxTransactions else {
            throw NodeError(.unavailable, "mempool is full (\(Limits.mempoolMaxTransactions) transactions); retry later")
        }
        guard !hashes.contains(tx.hash) else {
            throw NodeError(.conflict, field: "tx", "transaction \(tx.hash) is already pending", code: .staleNonce)
        }
        guard tx.chainID == engine.chainID else {
            throw NodeError(.invalid, field: "tx.chainID", "transaction is for chain \(tx.chainID), this is \(engine.chainID)",
                            code: .wrongChain)
        }
        // Built in memory (not decoded), a transaction could break a decoder limit that other
        // nodes enforce when they read it from bytes: admit only what decodes back to itself.
        guard (try? Transaction.decode(tx.encoded)) == tx else {
            throw NodeError(.invalid, field: "tx", "transaction breaks an encoding limit")
        }
        guard tx.hasValidSignature else {
            throw NodeError(.invalid, field: "tx.signature", "signature does not verify", code: .badSignature)
        }
        let pending = highestPendingNonce[tx.signer]
        if case .registerPatient(let body) = tx.payload, tx.signer == IdentityID(signingKey: body.signingKey),
           state.identity(tx.signer) == nil {
            guard pending == nil else {
                throw NodeError(.conflict, field: "tx.nonce", "a registration for this key is already pending", code: .staleNonce)
            }
        } else {
            switch engine.admit(tx, state) {
            case .failure(let rejection):
                let kind: NodeError.Kind = rejection.code == .staleNonce ? .conflict : .forbidden
                throw NodeError(kind, field: "tx.signer", rejection.message, code: rejection.code)
            case .success:
                if let pending, tx.nonce <= pending {
                    throw NodeError(.conflict, field: "tx.nonce",
                                    "nonce \(tx.nonce) is not above pending nonce \(pending)", code: .staleNonce)
                }
            }
        }
        queue.append(tx)
        hashes.insert(tx.hash)
        highestPendingNonce[tx.signer] = max(pending ?? 0, tx.nonce)
    }

    /// Removes and returns up to `limit` transactions, oldest first.
    mutating func take(limit: Int) -> [Transaction] {
        precondition(limit > 0)
        let end = min(queue.count, head + limit)
        let batch = Array(queue[head..<end])
        head = end
        for tx in batch {
            hashes.remove(tx.hash)
            if highestPendingNonce[tx.signer] == tx.nonce { highestPendingNonce[tx.signer] = nil }
        }
        if head > 4_096 && head * 2 > queue.count {
            queue.removeFirst(head)
            head = 0
        }
        return batch
    }

    /// The highest nonce the signer has waiting, if any (clients use it to pick the next).
    func pendingNonce(of signer: IdentityID) -> UInt64? { highestPendingNonce[signer] }
}
