import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

/// Why a proposed or fetched block is not acceptable.
public struct BlockRejection: Error, CustomStringConvertible, Sendable {
    public let height: Height
    public let reason: String
    public var description: String { "block \(height): \(reason)" }
}

extension LedgerNode {
    /// Tendermint's valid(v): checks a block someone else proposed (or a peer sent during
    /// sync) against our chain, and executes it on a copy of the state. Signatures of
    /// transactions already admitted to our mempool are not verified twice.
    public func executeProposed(_ block: Block) -> Result<ExecutedBlock, BlockRejection> {
        let header = block.header
        func reject(_ reason: String) -> Result<ExecutedBlock, BlockRejection> {
            .failure(BlockRejection(height: header.height, reason: reason))
        }
        guard header.chainID == genesis.chainID, header.height == height + 1 else {
            return reject("expected chain \(genesis.chainID) height \(height + 1)")
        }
        guard header.previousBlockHash == latestBlockHash else { return reject("does not extend our latest block") }
        guard header.validatorsHash == validators.hash else { return reject("names another validator set") }
        guard validators.member(header.proposer) != nil else { return reject("proposer is not a validator") }
        if let problem = block.sizeProblem { return reject(problem) }
        if let problem = lastCommitProblem(block) { return reject(problem) }
        let time = Block.expectedTime(height: header.height, genesisTime: genesis.genesisTime,
                                      lastCommit: block.lastCommit, validators: validators)
        guard header.time == time else { return reject("time \(header.time) is not the previous precommits' median \(time)") }
        guard Block.transactionsRoot(block.transactions) == header.transactionsRoot else {
            return reject("transactions root mismatch")
        }
        var scratch = state
        let context = BlockContext(height: header.height, time: time)
        let receipts = block.transactions.map {
            engine.apply($0, to: &scratch, context: context, signatureVerified: mempool.contains($0.hash))
        }
        guard Merkle.root(leaves: receipts.map(\.hash.bytes)) == header.resultsRoot else {
            return reject("results root mismatch after execution")
        }
        let changes = scratch.takeChanges().map { StateChange(key: $0.key, value: $0.value) }
        guard scratch.stateRoot() == header.stateRoot else { return reject("state root mismatch after execution") }
        return .success(ExecutedBlock(block: block, outcome: scratch.detachOutcome(), receipts: receipts, changes: changes))
    }

    /// Block 1 carries no last commit; every later block carries a valid certificate of
    /// our latest block (any 2f + 1 subset, not necessarily the one we saw).
    private func lastCommitProblem(_ block: Block) -> String? {
        guard let latestHeader else {
            return block.lastCommit == nil ? nil : "block 1 must not carry a last commit"
        }
        guard let lastCommit = block.lastCommit else { return "missing the last commit" }
        guard block.header.lastCommitHash == lastCommit.hash else { return "last commit hash mismatch" }
        if let problem = lastCommit.problem(chainID: genesis.chainID, header: latestHeader, validators: validators) {
            return "last commit: \(problem)"
        }
        return nil
    }

    /// Block sync: verifies a fetched block's certificate, executes and commits it.
    public func applySynced(_ block: Block, certificate: CommitCertificate) throws {
        if let problem = certificate.problem(chainID: genesis.chainID, header: block.header, validators: validators) {
            throw BlockRejection(height: block.header.height, reason: "certificate: \(problem)")
        }
        switch executeProposed(block) {
        case .success(let executed): try commit(executed, certificate: certificate)
        case .failure(let rejection): throw rejection
        }
    }

    /// Admits a transaction gossiped by a peer; silently ignores what we already have or
    /// refuse (the peer's mempool is not ours to judge loudly).
    /// - Parameter signaturesVerified: true when the caller checked every signature already.
    public func admitGossiped(_ transactions: [Transaction], signaturesVerified: Bool = false) {
        guard haltReason == nil else { return }
        for tx in transactions where !mempool.contains(tx.hash) {
            try? mempool.admit(tx, engine: engine, state: state, decodedFromBytes: true,
                               signatureVerified: signaturesVerified)
        }
        arrivals.signal()
    }

    /// The latest certificate this node holds (for the next block's last commit).
    public var lastCertificate: CommitCertificate? { latestCertificate }
}
