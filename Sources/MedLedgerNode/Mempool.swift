import MedLedgerCore
import MedLedgerContracts

/// Transactions waiting for a block, in arrival order. Every transaction here has a valid
/// signature (checked once, on admission) and a nonce above both the signer's committed
/// nonce and any nonce of theirs already waiting, so a block executes them in order.
/// Transactions stay here until a block that contains them is committed: a proposal that
/// loses its round must not lose them.
struct Mempool: Sendable {
    private(set) var queue: [Transaction] = []
    private var hashes: Set<Hash256> = []
    private var highestPendingNonce: [IdentityID: UInt64] = [:]

    var count: Int { queue.count }
    var isEmpty: Bool { queue.isEmpty }

    func contains(_ hash: Hash256) -> Bool { hashes.contains(hash) }

    /// Admits a transaction or says why not. Stateful checks mirror the contract's `admit`,
    /// so a refused transaction never takes space in a block.
    /// - Parameter decodedFromBytes: true when `tx` came from `Transaction.decode` (HTTP,
    ///   peers), which already enforced every decoder limit.
    mutating func admit(_ tx: Transaction, engine: ContractEngine, state: LedgerState,
                        decodedFromBytes: Bool = false) throws(NodeError) {
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
        guard decodedFromBytes || (try? Transaction.decode(tx.encoded)) == tx else {
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

    /// The oldest `limit` transactions, left in place until their block commits.
    func peek(limit: Int) -> [Transaction] {
        precondition(limit > 0)
        return Array(queue.prefix(limit))
    }

    /// Drops what a committed block included, and anything its commit made stale (a nonce
    /// at or below the signer's committed nonce, e.g. the same nonce used in another node's
    /// transaction).
    mutating func removeCommitted(_ committed: [Transaction], state: LedgerState) {
        guard !queue.isEmpty else { return }
        let included = Set(committed.map(\.hash))
        queue.removeAll { tx in
            included.contains(tx.hash) || (state.identity(tx.signer).map { tx.nonce <= $0.lastNonce } ?? false)
        }
        hashes = Set(queue.map(\.hash))
        highestPendingNonce.removeAll(keepingCapacity: true)
        for tx in queue { highestPendingNonce[tx.signer] = max(highestPendingNonce[tx.signer] ?? 0, tx.nonce) }
        precondition(hashes.count == queue.count, "mempool holds each transaction once")
    }

    /// The highest nonce the signer has waiting, if any (clients use it to pick the next).
    func pendingNonce(of signer: IdentityID) -> UInt64? { highestPendingNonce[signer] }
}
