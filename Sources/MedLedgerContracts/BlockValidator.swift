import MedLedgerCore

/// The block a new block must extend: the genesis (height 0) or a committed block.
public struct ChainTip: Hashable, Sendable {
    /// 0 for the genesis.
    public let height: Height
    /// The genesis hash at height 0, else the block's hash.
    public let hash: Hash256
    /// Nil at the genesis, which has no header.
    public let header: BlockHeader?
    /// The tip's own commit certificate, when whoever holds the tip has checked it (a node's
    /// latest, `verify`'s previous block's); nil when unknown. The next block carries a
    /// certificate of the tip too, usually with the same precommits: those are not verified
    /// again (see `CommitCertificate.problem`).
    public let certificate: CommitCertificate?

    public static func genesis(_ genesis: Genesis) -> ChainTip {
        ChainTip(height: 0, hash: genesis.hash, header: nil, certificate: nil)
    }

    /// - Parameter certificate: the tip's certificate, only if it was checked already.
    public init(header: BlockHeader, certificate: CommitCertificate? = nil) {
        precondition(
            certificate.map { $0.height == header.height && $0.blockHash == header.hash } ?? true,
            "a tip's certificate names the tip")
        self.init(height: header.height, hash: header.hash, header: header, certificate: certificate)
    }

    private init(height: Height, hash: Hash256, header: BlockHeader?, certificate: CommitCertificate?) {
        self.height = height
        self.hash = hash
        self.header = header
        self.certificate = certificate
    }
}

/// Block validity — Tendermint's valid(v) — in one place, for the node (proposals and block
/// sync), `medledger verify` and the simulator. Pure: no clock, no I/O.
///
/// A block at height h extending tip t is valid when:
/// - it names the chain, height t + 1, t's hash, the chain's validator set, and a validator
///   as proposer;
/// - its transactions fit `Limits.blockTransactionsMaxBytes` and hash to the header's root;
/// - block 1 carries no last commit; every later block carries a certificate of t (any
///   subset with more than two thirds of the power) whose hash the header records;
/// - BFT time: block 1's time is the genesis time; a later block's time is the
///   power-weighted median of its last commit's precommit times *and* strictly later than
///   t's time (Tendermint's rule; honest precommit times are at least the voted block's
///   time + 1 ms and hold more than half of any certificate's power, so the median always
///   is);
/// - executing it (`BlockExecutor`) gives the header's results root and state root.
public struct BlockValidator: Sendable {
    public let chainID: String
    public let genesisTime: ConsensusTime
    public let validators: ValidatorSet

    public init(chainID: String, genesisTime: ConsensusTime, validators: ValidatorSet) {
        precondition(!validators.validators.isEmpty, "a chain has validators")
        self.chainID = chainID
        self.genesisTime = genesisTime
        self.validators = validators
    }

    public init(genesis: Genesis) {
        self.init(chainID: genesis.chainID, genesisTime: genesis.genesisTime, validators: genesis.validatorSet)
    }

    /// The consensus time the block after `tip` must carry, given the certificate it carries.
    public func expectedTime(height: Height, lastCommit: CommitCertificate?) -> ConsensusTime {
        Block.expectedTime(height: height, genesisTime: genesisTime, lastCommit: lastCommit, validators: validators)
    }

    /// Every rule that holds without executing the block (see the type's summary).
    public func checkHeader(
        _ header: BlockHeader, lastCommit: CommitCertificate?, transactions: [Transaction],
        extending tip: ChainTip
    ) throws(BlockValidationError) {
        let height = header.height
        func fail(_ code: BlockValidationError.Code, _ detail: String) -> BlockValidationError {
            BlockValidationError(code, height: height, detail)
        }
        guard header.chainID == chainID else {
            throw fail(.wrongChain, "names chain \(header.chainID), not \(chainID)")
        }
        guard height == tip.height + 1 else { throw fail(.wrongHeight, "expected height \(tip.height + 1)") }
        guard header.previousBlockHash == tip.hash else {
            throw fail(.wrongParent, "does not link to block \(tip.height) (\(tip.hash))")
        }
        guard header.validatorsHash == validators.hash else {
            throw fail(.wrongValidatorSet, "names another validator set")
        }
        guard validators.member(header.proposer) != nil else {
            throw fail(.unknownProposer, "proposer \(header.proposer) is not a validator")
        }
        try Self.checkSize(transactions, height: height)
        try checkLastCommit(header, lastCommit, extending: tip)
        let expected = expectedTime(height: height, lastCommit: lastCommit)
        guard header.time == expected else {
            throw fail(
                .timeNotMedian,
                "time \(header.time) is not \(height == 1 ? "the genesis time" : "the previous precommits' median") \(expected)"
            )
        }
        if let parent = tip.header {
            guard header.time > parent.time else {
                throw fail(
                    .timeNotAfterParent, "time \(header.time) is not after block \(parent.height)'s \(parent.time)")
            }
        }
        guard Block.transactionsRoot(transactions) == header.transactionsRoot else {
            throw fail(.transactionsRootMismatch, "transactions root mismatch")
        }
    }

    /// Block 1 carries no last commit; every later block carries a valid certificate of the
    /// tip (any subset with more than two thirds of the power, not necessarily ours).
    private func checkLastCommit(
        _ header: BlockHeader, _ lastCommit: CommitCertificate?,
        extending tip: ChainTip
    ) throws(BlockValidationError) {
        let height = header.height
        guard header.lastCommitHash == Block.lastCommitHash(lastCommit) else {
            throw BlockValidationError(.lastCommitHashMismatch, height: height, "last commit hash mismatch")
        }
        guard let parent = tip.header else {
            guard lastCommit == nil else {
                throw BlockValidationError(.lastCommitPresence, height: height, "block 1 must not carry a last commit")
            }
            return
        }
        guard let lastCommit else {
            throw BlockValidationError(
                .lastCommitPresence, height: height,
                "does not carry block \(parent.height)'s commit certificate")
        }
        if let problem = lastCommit.problem(
            chainID: chainID, header: parent, validators: validators, checked: tip.certificate)
        {
            throw BlockValidationError(.badLastCommit, height: height, "last commit: \(problem)")
        }
    }

    /// The block size rule: the transactions with their length prefixes fit
    /// `Limits.blockTransactionsMaxBytes` (the rest of `Limits.blockMaxBytes` is the last commit's).
    public static func checkSize(_ transactions: [Transaction], height: Height) throws(BlockValidationError) {
        let bytes = Block.transactionsByteCount(transactions)
        guard bytes <= Limits.blockTransactionsMaxBytes else {
            throw BlockValidationError(
                .tooLarge, height: height,
                "transactions take \(bytes) bytes, over the limit of \(Limits.blockTransactionsMaxBytes)")
        }
    }

    /// The longest prefix of `candidates` (at most `maxCount`) that the size rule allows:
    /// what a proposer may put in a block.
    public static func fittingPrefix(_ candidates: some Sequence<Transaction>, maxCount: Int) -> [Transaction] {
        precondition(maxCount > 0 && maxCount <= Limits.blockMaxTransactions, "1...blockMaxTransactions per block")
        var taken = [Transaction]()
        var bytes = 0
        for tx in candidates {
            guard taken.count < maxCount else { break }
            let size = Block.transactionsByteCount([tx])
            guard bytes + size <= Limits.blockTransactionsMaxBytes else { break }
            bytes += size
            taken.append(tx)
        }
        precondition(bytes <= Limits.blockTransactionsMaxBytes && taken.count <= maxCount, "the prefix fits")
        return taken
    }

    /// The rules that need the block executed: its receipts and resulting state root.
    public func checkResults(
        _ header: BlockHeader, receipts: [TransactionReceipt],
        stateRoot: Hash256
    ) throws(BlockValidationError) {
        guard Merkle.root(leaves: receipts.map(\.hash.bytes)) == header.resultsRoot else {
            throw BlockValidationError(
                .resultsRootMismatch, height: header.height, "results root mismatch after execution")
        }
        guard stateRoot == header.stateRoot else {
            throw BlockValidationError(.stateRootMismatch, height: header.height, "state root mismatch after execution")
        }
    }

    /// A block's own commit certificate (block sync, `verify`).
    public func checkCertificate(_ certificate: CommitCertificate, of header: BlockHeader) throws(BlockValidationError)
    {
        if let problem = certificate.problem(chainID: chainID, header: header, validators: validators) {
            throw BlockValidationError(.badCertificate, height: header.height, "commit certificate: \(problem)")
        }
    }

    /// Checks the block against `tip` and executes it on `state`, which must be the state
    /// after `tip` (pass a copy to keep yours). On success `state` holds the block's changes
    /// (already taken: see `BlockExecution.changes`).
    /// - Parameter signatureVerified: whether a transaction's signature was checked before
    ///   (the node's mempool); others are checked during execution.
    public func validateAndExecute(
        _ header: BlockHeader, lastCommit: CommitCertificate?, transactions: [Transaction],
        extending tip: ChainTip, state: inout LedgerState, engine: ContractEngine,
        signatureVerified: (Transaction) -> Bool = { _ in false }
    )
        throws(BlockValidationError) -> BlockExecution
    {
        precondition(engine.chainID == chainID, "the engine runs this chain")
        try checkHeader(header, lastCommit: lastCommit, transactions: transactions, extending: tip)
        let execution = BlockExecutor.execute(
            transactions, context: BlockContext(height: header.height, time: header.time),
            state: &state, engine: engine, signatureVerified: signatureVerified)
        try checkResults(header, receipts: execution.receipts, stateRoot: execution.stateRoot)
        return execution
    }

    /// `validateAndExecute` for a decoded block.
    public func validateAndExecute(
        _ block: Block, extending tip: ChainTip, state: inout LedgerState,
        engine: ContractEngine, signatureVerified: (Transaction) -> Bool = { _ in false }
    )
        throws(BlockValidationError) -> BlockExecution
    {
        try validateAndExecute(
            block.header, lastCommit: block.lastCommit, transactions: block.transactions,
            extending: tip, state: &state, engine: engine, signatureVerified: signatureVerified)
    }
}
