import Foundation
import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

/// A block executed against a copy of the state: what committing it would write.
public struct ExecutedBlock: Sendable {
    public let block: Block
    /// The changed records and the state tree after the block (not a copy of the whole state).
    let outcome: LedgerState.Outcome
    public let receipts: [TransactionReceipt]
    let changes: [StateChange]

    init(block: Block, execution: BlockExecution, outcome: LedgerState.Outcome) {
        precondition(execution.receipts.count == block.transactions.count, "one receipt per transaction")
        precondition(execution.stateRoot == block.header.stateRoot, "the header holds the executed state root")
        self.block = block
        self.outcome = outcome
        self.receipts = execution.receipts
        self.changes = execution.changes.map { StateChange(key: $0.key, value: $0.value) }
    }
}

extension LedgerNode {
    /// The proposer of a single-validator chain: builds, self-certifies and commits the
    /// next block from the mempool (possibly empty).
    /// - Parameter wallClock: this validator's clock, signed into its precommit. The block's
    ///   own time is fixed by the previous block's precommits (BFT time), and the precommit
    ///   time is never below the block time + 1 ms, so consensus time only moves forward.
    @discardableResult
    public func produceBlock(wallClock: ConsensusTime) throws -> StoredBlock {
        if let haltReason { throw NodeError(.unavailable, "node halted: \(haltReason)") }
        let executed = buildNextBlock()
        let header = executed.block.header
        let certificate = signCertificate(header, time: precommitTime(wallClock: wallClock, blockTime: header.time))
        precondition(
            certificate.problem(chainID: genesis.chainID, header: header, validators: validators) == nil,
            "a single validator's own certificate must verify")
        try commit(executed, certificate: certificate)
        return StoredBlock(block: executed.block, certificate: certificate)
    }

    /// Builds the next block from the oldest pending transactions and executes it on a copy
    /// of the state (the live state changes only on commit), with the one `BlockExecutor`.
    public func buildNextBlock() -> ExecutedBlock {
        let started = ContinuousClock.now
        defer { metrics.blockBuild.record(duration: started.duration(to: .now)) }
        var scratch = state
        let built = BlockExecutor.build(
            after: tip, lastCommit: latestCertificate,
            candidates: mempool.peek(limit: configuration.maxTransactionsPerBlock),
            maxTransactions: configuration.maxTransactionsPerBlock, proposer: nodeID,
            rules: blockRules, state: &scratch, engine: engine)
        return ExecutedBlock(block: built.block, execution: built.execution, outcome: scratch.detachOutcome())
    }

    /// Writes the block, certificate, receipts, state changes and indexes in one SQLite
    /// transaction, then makes the executed state live.
    ///
    /// Crash safety: a crash before the transaction commits loses only uncommitted work;
    /// after it, everything is on disk. If the write fails the node halts, since it could
    /// no longer tell what is on disk.
    public func commit(_ executed: ExecutedBlock, certificate: CommitCertificate) throws {
        let header = executed.block.header
        precondition(header.height == height + 1, "blocks commit in order")
        precondition(certificate.blockHash == header.hash, "the certificate names this block")
        let started = ContinuousClock.now
        do {
            try store.commit(
                executed.block, certificate: certificate, receipts: executed.receipts,
                stateChanges: executed.changes)
        } catch {
            haltReason = "could not persist block \(header.height): \(error)"
            logger.critical("\(haltReason!)")
            throw NodeError(.internalFailure, "could not persist block \(header.height): \(error)")
        }
        state.adopt(executed.outcome)
        latestHeader = header
        latestCertificate = certificate
        let waits = mempool.removeCommitted(executed.block.transactions, state: state)
        let now = ContinuousClock.now
        metrics.blockWrite.record(duration: started.duration(to: now))
        if let previous = previousCommitInstant { metrics.blockInterval.record(duration: previous.duration(to: now)) }
        metrics.transactionsWaited(waits)
        lastCommitInstant = now
        previousCommitInstant = now
        markReferencedBlobs(in: executed.block, receipts: executed.receipts)
        commits.publish(executed.block.transactions.map(\.hash))
        heights.publish(header.height)
        metrics.blockCommitted(transactions: executed.block.transactions.count)
        if !executed.block.transactions.isEmpty {
            logger.debug("committed block \(header.height) with \(executed.block.transactions.count) transactions")
        }
    }

    /// A precommit time: this validator's clock, but never at or before the block's time.
    nonisolated func precommitTime(wallClock: ConsensusTime, blockTime: ConsensusTime) -> ConsensusTime {
        max(wallClock, blockTime.adding(milliseconds: 1))
    }

    /// This node's precommit over the block: with one validator it alone is the quorum.
    /// The many-validator consensus gathers the same signatures from 2f + 1 nodes.
    func signCertificate(_ header: BlockHeader, time: ConsensusTime) -> CommitCertificate {
        let precommit = Precommit.vote(
            chainID: genesis.chainID, height: header.height, round: 0,
            blockHash: header.hash, time: time)
        let signature = nodeKeys.sign(precommit.canonicalBytes)
        return CommitCertificate(
            height: header.height, round: 0, blockHash: header.hash,
            signatures: [CommitSignature(validator: nodeID, time: time, signature: signature)])
    }

    /// Runs the block producer until the task is cancelled: a block shortly after work
    /// arrives, or an empty block when idle for `emptyBlockIntervalMilliseconds`.
    public func runProducer(clock: @escaping @Sendable () -> WallClockTime = SystemClock.now) async {
        var lastBlockAt = clock()
        var firstPendingAt: WallClockTime?
        while !Task.isCancelled {
            let now = clock()
            if !mempool.isEmpty, firstPendingAt == nil { firstPendingAt = now }
            let batchReady =
                firstPendingAt.map {
                    now.milliseconds >= $0.milliseconds + configuration.batchDelayMilliseconds
                        || mempool.count >= configuration.maxTransactionsPerBlock
                } ?? false
            let idleDue = now.milliseconds >= lastBlockAt.milliseconds + configuration.emptyBlockIntervalMilliseconds
            guard batchReady || idleDue else {
                // Sleep until the batch or idle deadline; an admitted transaction wakes us early.
                let deadline =
                    firstPendingAt.map { $0.milliseconds + configuration.batchDelayMilliseconds }
                    ?? lastBlockAt.milliseconds + configuration.emptyBlockIntervalMilliseconds
                let wait = max(1, deadline > now.milliseconds ? deadline - now.milliseconds : 1)
                await arrivals.wait(timeout: .milliseconds(Int64(clamping: wait)))
                continue
            }
            do {
                try produceBlock(wallClock: ConsensusTime(wallClock: now))
            } catch {
                logger.critical("block producer stopped: \(error)")
                return
            }
            lastBlockAt = now
            firstPendingAt = mempool.isEmpty ? nil : now
        }
    }
}
