import MedLedgerCore
import MedLedgerContracts

/// Transactions waiting for a block, in arrival order. Every transaction here has a valid
/// signature (checked once, on admission) and a nonce above both the signer's committed
/// nonce and any nonce of theirs already waiting, so a block executes them in order.
/// Transactions stay here until a block that contains them is committed: a proposal that
/// loses its round must not lose them.
///
/// Each transaction's arrival is kept beside it on the monotonic clock, for the operators'
/// wait metric only: it never orders, picks or drops a transaction.
struct Mempool: Sendable {
    private(set) var queue: [Transaction] = []
    /// `arrivals[i]` is when `queue[i]` was admitted, and whether a client submitted it here.
    private var arrivals: [Arrival] = []
    private var hashes: Set<Hash256> = []
    /// What each signer has waiting: counts for the per-signer quotas, and the highest
    /// nonce (clients pick the next above it). One map, so admitting or removing a
    /// transaction looks its signer up once; a signer with nothing waiting has no entry.
    private var signers: [IdentityID: SignerPending] = [:]
    private(set) var totalBytes = 0

    struct SignerPending: Sendable {
        var count = 0
        var bytes = 0
        var highestNonce: Nonce = 0
    }

    struct Arrival: Sendable {
        let instant: ContinuousClock.Instant
        let submittedHere: Bool
    }

    /// How long a committed transaction waited here, from admission to its block's commit.
    struct Wait: Sendable {
        let duration: Duration
        let submittedHere: Bool
    }

    var count: Int { queue.count }
    var isEmpty: Bool { queue.isEmpty }

    func contains(_ hash: Hash256) -> Bool { hashes.contains(hash) }

    /// Admits a transaction or says why not. Stateful checks mirror the contract's `admit`,
    /// so a refused transaction never takes space in a block.
    /// - Parameter decodedFromBytes: true when `tx` came from `Transaction.decode` (HTTP,
    ///   peers), which already enforced every decoder limit.
    /// - Parameter signatureVerified: true when the caller already verified the signature
    ///   (off the node actor, so a flood of signatures does not stall consensus).
    /// - Parameter submittedHere: true for a client's submission, false for a peer's gossip
    ///   (only the wait metric tells them apart).
    mutating func admit(
        _ tx: Transaction, engine: ContractEngine, state: LedgerState,
        decodedFromBytes: Bool = false, signatureVerified: Bool = false, submittedHere: Bool = false
    ) throws(NodeError) {
        guard count < Limits.mempoolMaxTransactions else {
            throw NodeError(
                .unavailable, "mempool is full (\(Limits.mempoolMaxTransactions) transactions); retry later")
        }
        let size = tx.encoded.count
        guard totalBytes + size <= Limits.mempoolMaxBytes else {
            throw NodeError(.unavailable, "mempool is full (\(Limits.mempoolMaxBytes) bytes); retry later")
        }
        let waiting = signers[tx.signer]
        let used = waiting ?? SignerPending()
        guard used.count < Limits.mempoolMaxPerSigner, used.bytes + size <= Limits.mempoolMaxBytesPerSigner else {
            throw NodeError(
                .unavailable, field: "tx.signer",
                "signer \(tx.signer) already has \(used.count) transactions (\(used.bytes) bytes) waiting; "
                    + "limits are \(Limits.mempoolMaxPerSigner) and \(Limits.mempoolMaxBytesPerSigner) bytes")
        }
        guard !hashes.contains(tx.hash) else {
            throw NodeError(.conflict, field: "tx", "transaction \(tx.hash) is already pending", code: .staleNonce)
        }
        guard tx.chainID == engine.chainID else {
            throw NodeError(
                .invalid, field: "tx.chainID", "transaction is for chain \(tx.chainID), this is \(engine.chainID)",
                code: .wrongChain)
        }
        // Built in memory (not decoded), a transaction could break a decoder limit that other
        // nodes enforce when they read it from bytes: admit only what decodes back to itself.
        guard decodedFromBytes || (try? Transaction.decode(tx.encoded)) == tx else {
            throw NodeError(.invalid, field: "tx", "transaction breaks an encoding limit")
        }
        guard signatureVerified || tx.hasValidSignature else { throw NodeError.badSignature }
        let pending = waiting?.highestNonce
        if case .registerPatient(let body) = tx.payload, tx.signer == IdentityID(signingKey: body.signingKey),
            state.identity(tx.signer) == nil
        {
            guard pending == nil else {
                throw NodeError(
                    .conflict, field: "tx.nonce", "a registration for this key is already pending", code: .staleNonce)
            }
            guard (1...Limits.nonceMaxJump).contains(tx.nonce.rawValue) else {
                throw NodeError(
                    .invalid, field: "tx.nonce", "a first nonce must be 1-\(Limits.nonceMaxJump)", code: .nonceGap)
            }
        } else {
            switch engine.admit(tx, state) {
            case .failure(let rejection):
                let kind: NodeError.Kind =
                    switch rejection.code {
                    case .staleNonce: .conflict
                    case .nonceGap: .invalid
                    default: .forbidden
                    }
                throw NodeError(
                    kind, field: "tx.signer", ReceiptText.sentence(code: rejection.code, facts: rejection.facts),
                    code: rejection.code)
            case .success:
                if let pending, tx.nonce <= pending {
                    throw NodeError(
                        .conflict, field: "tx.nonce",
                        "nonce \(tx.nonce) is not above pending nonce \(pending)", code: .staleNonce)
                }
            }
        }
        queue.append(tx)
        arrivals.append(Arrival(instant: .now, submittedHere: submittedHere))
        hashes.insert(tx.hash)
        signers[tx.signer] = SignerPending(
            count: used.count + 1, bytes: used.bytes + size, highestNonce: max(pending ?? 0, tx.nonce))
        totalBytes += size
    }

    /// The oldest transactions, at most `limit` of them, left in place until their block
    /// commits. The block builder cuts them to the size rule (`BlockValidator.fittingPrefix`),
    /// stopping at the first that does not fit, so a signer's transactions stay in nonce order.
    func peek(limit: Int) -> ArraySlice<Transaction> {
        precondition(limit > 0, "a positive limit")
        return queue.prefix(limit)
    }

    /// Drops what a committed block included, and anything its commit made stale (a nonce
    /// at or below the signer's committed nonce, e.g. the same nonce used in another node's
    /// transaction).
    ///
    /// Only the block's signers can have gone stale (a signer's committed nonce moves only
    /// with a transaction they signed), so only their transactions are looked at, and the
    /// bookkeeping is updated for what is removed instead of being rebuilt from the whole
    /// queue. The per-signer counts say how many of the queue's transactions are the block's
    /// signers', so the scan stops at the last of them: a block is usually the oldest
    /// transactions, and in a burst the queue holds many blocks' worth behind them, which a
    /// scan to the end made every commit pay for (4.7 % of a validator in a profiled burst).
    /// - Returns: how long each of the block's transactions found here waited.
    @discardableResult
    mutating func removeCommitted(_ committed: [Transaction], state: LedgerState) -> [Wait] {
        guard !queue.isEmpty, !committed.isEmpty else { return [] }
        let now = ContinuousClock.now
        let included = Set(committed.map(\.hash))
        let blockSigners = Set(committed.map(\.signer))
        var candidates = blockSigners.reduce(0) { $0 + (signers[$1]?.count ?? 0) }
        var removed = [Transaction]()
        var waits = [Wait]()
        var kept = 0
        var scanned = 0
        while scanned < queue.count, candidates > 0 {
            let tx = queue[scanned]
            let arrival = arrivals[scanned]
            scanned += 1
            if blockSigners.contains(tx.signer) {
                candidates -= 1
                let isIncluded = included.contains(tx.hash)
                if isIncluded {
                    waits.append(
                        Wait(duration: arrival.instant.duration(to: now), submittedHere: arrival.submittedHere))
                }
                if isIncluded || (state.identity(tx.signer).map { tx.nonce <= $0.lastNonce } ?? false) {
                    removed.append(tx)
                    continue
                }
            }
            if kept != scanned - 1 {
                queue[kept] = tx
                arrivals[kept] = arrival
            }
            kept += 1
        }
        queue.removeSubrange(kept..<scanned)
        arrivals.removeSubrange(kept..<scanned)
        guard !removed.isEmpty else { return waits }
        // Signers who lost some transactions but not all: their highest pending nonce is
        // found again among the transactions scanned above, which hold all of theirs.
        var recount = Set<IdentityID>()
        for tx in removed {
            hashes.remove(tx.hash)
            let size = tx.encoded.count
            totalBytes -= size
            guard let entry = signers.index(forKey: tx.signer) else {
                preconditionFailure("a queued transaction's signer has an entry")
            }
            signers.values[entry].count -= 1
            signers.values[entry].bytes -= size
            if signers.values[entry].count == 0 {
                signers.remove(at: entry)
                recount.remove(tx.signer)
            } else {
                recount.insert(tx.signer)
            }
        }
        if !recount.isEmpty {
            for signer in recount { signers[signer]?.highestNonce = 0 }
            for tx in queue.prefix(kept) where recount.contains(tx.signer) {
                let highest = signers[tx.signer]?.highestNonce ?? 0
                signers[tx.signer]?.highestNonce = max(highest, tx.nonce)
            }
        }
        precondition(hashes.count == queue.count, "mempool holds each transaction once")
        precondition(arrivals.count == queue.count, "one arrival per queued transaction")
        precondition(totalBytes >= 0 && totalBytes <= Limits.mempoolMaxBytes)
        return waits
    }

    /// The highest nonce the signer has waiting, if any (clients use it to pick the next).
    func pendingNonce(of signer: IdentityID) -> Nonce? { signers[signer]?.highestNonce }
}
