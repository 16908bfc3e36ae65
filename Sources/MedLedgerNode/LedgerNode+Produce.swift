import Foundation
import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

extension LedgerNode {
    /// Seals the next block from the mempool (possibly empty) and commits it.
    ///
    /// Order, for crash safety: execute in memory, then write block, certificate, receipts,
    /// state changes and indexes in one SQLite transaction. A crash before that transaction
    /// commits loses only uncommitted work; after it, everything is on disk. If the write
    /// fails the node halts, since memory is then ahead of disk.
    /// - Parameter wallClock: this validator's clock, signed into its precommit. The block's
    ///   own time is fixed by the previous block's precommits (BFT time), and the precommit
    ///   time is never below the block time + 1 ms, so consensus time only moves forward.
    @discardableResult
    public func produceBlock(wallClock: ConsensusTime) throws -> StoredBlock {
        if let haltReason { throw NodeError(.unavailable, "node halted: \(haltReason)") }
        let transactions = mempool.take(limit: configuration.maxTransactionsPerBlock)
        let time = Block.expectedTime(height: height + 1, genesisTime: genesis.genesisTime,
                                      lastCommit: latestCertificate, validators: validators)
        let context = BlockContext(height: height + 1, time: time)
        var receipts = [TransactionReceipt]()
        receipts.reserveCapacity(transactions.count)
        for tx in transactions {
            receipts.append(engine.apply(tx, to: &state, context: context, signatureVerified: true))
        }
        let changes = state.takeChanges()
        let header = BlockHeader(
            chainID: genesis.chainID, height: context.height, time: time, previousBlockHash: latestBlockHash,
            lastCommitHash: Block.lastCommitHash(latestCertificate), transactionsRoot: Block.transactionsRoot(transactions),
            resultsRoot: Merkle.root(leaves: receipts.map(\.hash.bytes)),
            stateRoot: state.stateRoot(), validatorsHash: validators.hash, proposer: nodeID)
        let block = Block(header: header, lastCommit: latestCertificate, transactions: transactions)
        let certificate = signCertificate(header, time: max(wallClock, time.adding(milliseconds: 1)))
        precondition(certificate.problem(chainID: genesis.chainID, header: header, validators: validators) == nil,
                     "a single validator's own certificate must verify")
        do {
            try store.commit(block, certificate: certificate, receipts: receipts,
                             stateChanges: changes.map { StateChange(key: $0.key, value: $0.value) })
        } catch {
            haltReason = "could not persist block \(header.height): \(error)"
            logger.critical("\(haltReason!)")
            throw NodeError(.internalFailure, "could not persist block \(header.height): \(error)")
        }
        latestHeader = header
        latestCertificate = certificate
        if !transactions.isEmpty {
            logger.debug("committed block \(header.height) with \(transactions.count) transactions")
        }
        return StoredBlock(block: block, certificate: certificate)
    }

    /// This node's precommit over the block: with one validator it alone is the quorum.
    /// The many-validator consensus gathers the same signatures from 2f + 1 nodes.
    func signCertificate(_ header: BlockHeader, time: ConsensusTime) -> CommitCertificate {
        let precommit = Precommit.vote(chainID: genesis.chainID, height: header.height, round: 0,
                                       blockHash: header.hash, time: time)
        let signature = nodeKeys.sign(precommit.canonicalBytes)
        return CommitCertificate(height: header.height, round: 0, blockHash: header.hash,
                                 signatures: [CommitSignature(validator: nodeID, time: time, signature: signature)])
    }

    /// Runs the block producer until the task is cancelled: a block shortly after work
    /// arrives, or an empty block when idle for `emptyBlockIntervalMilliseconds`.
    public func runProducer(clock: @escaping @Sendable () -> ConsensusTime = SystemClock.now) async {
        var lastBlockAt = clock()
        var firstPendingAt: ConsensusTime?
        while !Task.isCancelled {
            try? await Task.sleep(nanoseconds: 5_000_000)
            let now = clock()
            if !mempool.isEmpty, firstPendingAt == nil { firstPendingAt = now }
            let batchReady = firstPendingAt.map {
                now.milliseconds >= $0.milliseconds + configuration.batchDelayMilliseconds
                    || mempool.count >= configuration.maxTransactionsPerBlock
            } ?? false
            let idleDue = now.milliseconds >= lastBlockAt.milliseconds + configuration.emptyBlockIntervalMilliseconds
            guard batchReady || idleDue else { continue }
            do {
                try produceBlock(wallClock: now)
            } catch {
                logger.critical("block producer stopped: \(error)")
                return
            }
            lastBlockAt = now
            firstPendingAt = nil
        }
    }
}

/// The wall clock, read only by the node runtime (never by the contracts).
public enum SystemClock {
    @Sendable public static func now() -> ConsensusTime {
        ConsensusTime(milliseconds: UInt64(Date().timeIntervalSince1970 * 1000))
    }
}
