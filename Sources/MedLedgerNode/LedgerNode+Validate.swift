import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

extension LedgerNode {
    /// The block after our latest: what proposals and synced blocks must extend. Its
    /// certificate was checked before it was committed (built from verified votes, verified
    /// on sync, or our own), so a proposal's last commit need not verify the same precommits.
    public var tip: ChainTip {
        latestHeader.map { ChainTip(header: $0, certificate: latestCertificate) } ?? .genesis(genesis)
    }

    /// Tendermint's valid(v): checks a block someone else proposed (or a peer sent during
    /// sync) against our chain with the one `BlockValidator`, executing it on a copy of the
    /// state. Signatures of transactions already admitted to our mempool, or verified lately
    /// on their way there (`verifiedSignatures`), are not verified twice.
    public func executeProposed(_ block: Block) -> Result<ExecutedBlock, BlockValidationError> {
        let started = ContinuousClock.now
        defer { metrics.blockCheck.record(duration: started.duration(to: .now)) }
        var scratch = state
        var verifications = 0
        defer { metrics.blockSignatureChecks.increment(by: verifications) }
        do {
            // An invalid signature answers false here, and the contract rejects the
            // transaction with its own check.
            let execution = try blockRules.validateAndExecute(
                block, extending: tip, state: &scratch, engine: engine,
                signatureVerified: { tx in
                    guard !mempool.contains(tx.hash) else { return true }
                    let outcome = verifiedSignatures.isValid(tx)
                    if outcome.verified { verifications += 1 }
                    return outcome.valid
                })
            return .success(ExecutedBlock(block: block, execution: execution, outcome: scratch.detachOutcome()))
        } catch {
            return .failure(error)
        }
    }

    /// Block sync: verifies a fetched block's certificate, executes and commits it.
    public func applySynced(_ block: Block, certificate: CommitCertificate) throws {
        try blockRules.checkCertificate(certificate, of: block.header)
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
            try? mempool.admit(
                tx, engine: engine, state: state, decodedFromBytes: true,
                signatureVerified: signaturesVerified)
        }
        arrivals.signal()
    }

    /// The latest certificate this node holds (for the next block's last commit).
    public var lastCertificate: CommitCertificate? { latestCertificate }
}
