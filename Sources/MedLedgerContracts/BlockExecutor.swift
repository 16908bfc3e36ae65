import MedLedgerCore

/// What executing a block's transactions gave.
public struct BlockExecution: Sendable {
    /// One receipt per transaction, in block order.
    public let receipts: [TransactionReceipt]
    /// The changed state entries, sorted by key (`LedgerState.takeChanges`).
    public let changes: [(key: [UInt8], value: [UInt8]?)]
    /// The state root after the block.
    public let stateRoot: Hash256

    /// RFC 6962 root over the receipts' hashes: the header's results root.
    public var resultsRoot: Hash256 { Merkle.root(leaves: receipts.map(\.hash.bytes)) }
}

/// A block built by a proposer: the header, what it carries and what executing it gave.
public struct BuiltBlock: Sendable {
    public let block: Block
    public let execution: BlockExecution
}

/// Executes blocks (and builds them) in one place: the node's proposer and validator,
/// `verify`'s replay and the simulator run the same sequence. Pure: no clock, no I/O.
public enum BlockExecutor {
    /// Applies `transactions` in order to `state` at the block's height and time, then takes
    /// the changes (so `state.stateRoot()` is the block's state root).
    /// - Parameter signatureVerified: whether a transaction's signature was checked before.
    public static func execute(
        _ transactions: [Transaction], context: BlockContext, state: inout LedgerState,
        engine: ContractEngine,
        signatureVerified: (Transaction) -> Bool = { _ in false }
    ) -> BlockExecution {
        precondition(transactions.count <= Limits.blockMaxTransactions, "a block's transactions are bounded")
        let receipts = transactions.map {
            engine.apply($0, to: &state, context: context, signatureVerified: signatureVerified($0))
        }
        let changes = state.takeChanges()
        let execution = BlockExecution(receipts: receipts, changes: changes, stateRoot: state.stateRoot())
        precondition(execution.receipts.count == transactions.count, "one receipt per transaction")
        return execution
    }

    /// Builds the block after `tip` from the longest prefix of `candidates` that fits a block
    /// (`BlockValidator.fittingPrefix`), executing it on `state` (the state after `tip`; pass
    /// a copy). The result is valid at `tip` by construction, except for the time rule, which
    /// depends on the precommit times in `lastCommit` (honest ones always satisfy it).
    /// - Parameter signatureVerified: whether a candidate's signature was checked before.
    public static func build(
        after tip: ChainTip, lastCommit: CommitCertificate?, candidates: some Sequence<Transaction>,
        maxTransactions: Int, proposer: IdentityID, rules: BlockValidator,
        state: inout LedgerState, engine: ContractEngine,
        signatureVerified: (Transaction) -> Bool = { _ in true }
    ) -> BuiltBlock {
        precondition((lastCommit == nil) == (tip.header == nil), "every block but the first carries the last commit")
        precondition(rules.validators.member(proposer) != nil, "the proposer is a validator")
        let transactions = BlockValidator.fittingPrefix(candidates, maxCount: maxTransactions)
        let height = tip.height + 1
        let time = rules.expectedTime(height: height, lastCommit: lastCommit)
        let execution = execute(
            transactions, context: BlockContext(height: height, time: time), state: &state,
            engine: engine, signatureVerified: signatureVerified)
        let header = BlockHeader(
            chainID: rules.chainID, height: height, time: time, previousBlockHash: tip.hash,
            lastCommitHash: Block.lastCommitHash(lastCommit), transactionsRoot: Block.transactionsRoot(transactions),
            resultsRoot: execution.resultsRoot, stateRoot: execution.stateRoot,
            validatorsHash: rules.validators.hash, proposer: proposer)
        return BuiltBlock(
            block: Block(header: header, lastCommit: lastCommit, transactions: transactions),
            execution: execution)
    }
}
