import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

extension LedgerVerifier {
    /// Re-executes the chain block by block and compares with what is stored.
    struct Replay {
        let genesis: Genesis
        let engine: ContractEngine
        /// The node's own block rules: `verify` accepts exactly the blocks a node accepts.
        let rules: BlockValidator
        var state: LedgerState
        var tip: ChainTip
        /// Blobs that committed re-keyings replaced: every node deletes them at commit.
        var replacedBlobs: Set<Hash256> = []

        init(genesis: Genesis, engine: ContractEngine, state: LedgerState) {
            self.genesis = genesis
            self.engine = engine
            self.rules = BlockValidator(genesis: genesis)
            self.state = state
            self.tip = .genesis(genesis)
        }

        /// Checks block `block.height` (read, decoded and its signatures checked by
        /// `BlockPrefetch`); returns its transaction count.
        mutating func check(_ block: PreparedBlock, store: any LedgerDatabase) throws(VerificationFailure) -> Int {
            let height = block.height
            let location = "block \(height)"
            func fail(_ reason: String) -> VerificationFailure {
                VerificationFailure(location: location, reason: reason)
            }
            let (raw, header, transactions) = (block.raw, block.header, block.transactions)
            let (certificate, lastCommit) = (block.certificate, block.lastCommit)
            guard header.hash.bytes == raw.hash else { throw fail("header does not hash to the stored block hash") }
            guard header.height == height else { throw fail("wrong height") }
            let receipts: [TransactionReceipt]
            do {
                try rules.checkCertificate(certificate, of: header)
                let execution = try rules.validateAndExecute(
                    header, lastCommit: lastCommit, transactions: transactions,
                    extending: tip, state: &state, engine: engine,
                    signatureVerified: { block.goodSignatures.contains($0.hash) })
                receipts = execution.receipts
            } catch { throw fail("\(error.detail) (\(error.code))") }
            try checkIndexedReceipts(receipts, transactions: transactions, height: height, store: store, fail: fail)
            // The audit index a patient reads must be exactly what the receipts say.
            let storedRows: [EventRow]
            do { storedRows = try store.eventRows(height: height) } catch { throw fail("event index: \(error)") }
            guard storedRows == EventRow.expected(header: header, transactions: transactions, receipts: receipts) else {
                throw fail("event index rows differ from the receipts")
            }
            for (tx, receipt) in zip(transactions, receipts) where receipt.code.isSuccess {
                if case .rekeyReport(let body) = tx.payload { replacedBlobs.insert(body.previousContentAddress) }
            }
            state.foldPending()
            // Its certificate verified above: the next block's last commit reuses that.
            tip = ChainTip(header: header, certificate: certificate)
            return transactions.count
        }

        /// The transaction index must hold each transaction at its position with the receipt
        /// re-execution gave.
        private func checkIndexedReceipts(
            _ receipts: [TransactionReceipt], transactions: [Transaction], height: Height,
            store: any LedgerDatabase, fail: (String) -> VerificationFailure
        ) throws(VerificationFailure) {
            precondition(receipts.count == transactions.count, "one receipt per transaction")
            let indexed: [IndexedReceipt]
            do { indexed = try store.receipts(height: height) } catch { throw fail("transaction index: \(error)") }
            guard indexed.count == transactions.count else {
                throw fail("transaction index holds \(indexed.count) transactions, the block \(transactions.count)")
            }
            for (position, tx) in transactions.enumerated() {
                let stored = indexed[position]
                guard stored.hash == tx.hash, stored.position == position else {
                    throw fail("transaction \(tx.hash) is not indexed at its position")
                }
                guard stored.receipt == receipts[position] else {
                    throw fail("stored receipt of transaction \(tx.hash) differs from re-execution")
                }
            }
        }
    }
}
