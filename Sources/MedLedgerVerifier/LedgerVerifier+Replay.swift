import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

extension LedgerVerifier {
    /// Re-executes the chain block by block and compares with what is stored.
    struct Replay {
        let genesis: Genesis
        let engine: ContractEngine
        let validators: ValidatorSet
        var state: LedgerState
        var previousHash: Hash256
        var previousTime: ConsensusTime
        var previousHeader: BlockHeader?

        init(genesis: Genesis, engine: ContractEngine, state: LedgerState) {
            self.genesis = genesis
            self.engine = engine
            self.validators = genesis.validatorSet
            self.state = state
            self.previousHash = genesis.hash
            self.previousTime = genesis.genesisTime
        }

        /// Checks block `height`; returns its transaction count.
        mutating func check(height: Height, store: LedgerStore) throws(VerificationFailure) -> Int {
            let location = "block \(height)"
            func fail(_ reason: String) -> VerificationFailure { VerificationFailure(location: location, reason: reason) }
            let raw: RawBlock
            do {
                guard let found = try store.rawBlock(at: height) else { throw fail("missing") }
                raw = found
            } catch let failure as VerificationFailure { throw failure } catch { throw fail("\(error)") }
            let header: BlockHeader, transactions: [Transaction], certificate: CommitCertificate
            let lastCommit: CommitCertificate?
            do {
                header = try BlockHeader.decode(canonical: raw.header)
                (lastCommit, transactions) = try Block.decodeBody(raw.body)
                certificate = try CommitCertificate.decode(canonical: raw.certificate)
            } catch { throw fail("does not decode: \(error)") }
            guard header.hash.bytes == raw.hash else { throw fail("header does not hash to the stored block hash") }
            guard header.height == height, header.chainID == genesis.chainID else { throw fail("wrong height or chain id") }
            guard header.previousBlockHash == previousHash else { throw fail("does not link to block \(height - 1)") }
            guard header.lastCommitHash == Block.lastCommitHash(lastCommit) else { throw fail("last commit hash mismatch") }
            if let previousHeader {
                // Any valid 2f + 1 certificate of the previous block, not necessarily the stored one.
                guard let lastCommit else { throw fail("does not carry block \(height - 1)'s commit certificate") }
                if let problem = lastCommit.problem(chainID: genesis.chainID, header: previousHeader, validators: validators) {
                    throw fail("last commit: \(problem)")
                }
            } else if lastCommit != nil {
                throw fail("block 1 must not carry a last commit")
            }
            let expectedTime = Block.expectedTime(height: height, genesisTime: genesis.genesisTime,
                                                  lastCommit: lastCommit, validators: validators)
            guard header.time == expectedTime, height == 1 || header.time > previousTime else {
                throw fail("time \(header.time) is not the median of the previous precommits (\(expectedTime))")
            }
            guard header.validatorsHash == validators.hash else { throw fail("names another validator set") }
            guard Block.transactionsByteCount(transactions) <= Limits.blockTransactionsMaxBytes else {
                throw fail("transactions exceed \(Limits.blockTransactionsMaxBytes) bytes")
            }
            if let problem = certificate.problem(chainID: genesis.chainID, header: header, validators: validators) {
                throw fail("commit certificate: \(problem)")
            }
            guard Block.transactionsRoot(transactions) == header.transactionsRoot else { throw fail("transactions root mismatch") }
            let receipts = try execute(transactions, header: header, store: store, fail: fail)
            guard Merkle.root(leaves: receipts.map(\.hash.bytes)) == header.resultsRoot else { throw fail("results root mismatch") }
            // The audit index a patient reads must be exactly what the receipts say.
            let storedRows: [EventRow]
            do { storedRows = try store.eventRows(height: height) } catch { throw fail("event index: \(error)") }
            guard storedRows == EventRow.expected(header: header, receipts: receipts) else {
                throw fail("event index rows differ from the receipts")
            }
            _ = state.takeChanges()
            guard state.stateRoot() == header.stateRoot else { throw fail("state root mismatch after re-execution") }
            state.foldPending()
            previousHash = header.hash
            previousTime = header.time
            previousHeader = header
            return transactions.count
        }

        private mutating func execute(_ transactions: [Transaction], header: BlockHeader, store: LedgerStore,
                                      fail: (String) -> VerificationFailure) throws(VerificationFailure) -> [TransactionReceipt] {
            let context = BlockContext(height: header.height, time: header.time)
            let indexed: [IndexedReceipt]
            do { indexed = try store.receipts(height: header.height) } catch { throw fail("transaction index: \(error)") }
            guard indexed.count == transactions.count else {
                throw fail("transaction index holds \(indexed.count) transactions, the block \(transactions.count)")
            }
            var receipts = [TransactionReceipt]()
            for (position, tx) in transactions.enumerated() {
                let receipt = engine.apply(tx, to: &state, context: context)
                let stored = indexed[position]
                guard stored.hash == tx.hash, stored.position == position else {
                    throw fail("transaction \(tx.hash) is not indexed at its position")
                }
                guard stored.receipt == receipt else { throw fail("stored receipt of transaction \(tx.hash) differs from re-execution") }
                receipts.append(receipt)
            }
            return receipts
        }
    }
}
