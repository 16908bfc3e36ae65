import MedLedgerCore
import MedLedgerConsensus
import MedLedgerContracts
import MedLedgerNode
import MedLedgerStorage

/// The checker: after every event, each block a validator committed since the last look is
/// judged independently of the node that committed it.
extension SimulationRun {
    func fail(_ message: String) {
        if failure == nil { failure = "at \(now) ms: \(message)" }
    }

    /// Reads the blocks the node committed since the last check (from its store, as a
    /// restarted node would) and checks them; also that no committed block was lost.
    func check(_ node: SimulatedNode) async {
        guard failure == nil, let ledger = node.ledger else { return }
        let height = await ledger.height
        guard height >= node.checkedHeight else {
            return fail(
                "validator \(node.index) lost committed blocks: at height \(height) after \(node.checkedHeight)")
        }
        while node.checkedHeight < height, failure == nil {
            let next = node.checkedHeight + 1
            do {
                guard let stored = try await ledger.block(at: next) else {
                    return fail("validator \(node.index) has no block \(next) below its height \(height)")
                }
                if !node.byzantine { checkCommitted(stored, at: node) }
                node.lastHeader = stored.header
                node.checkedHeight = next
            } catch {
                return fail("validator \(node.index) cannot read block \(next): \(error)")
            }
        }
        if !node.byzantine, let header = node.lastHeader, await ledger.appHash != header.stateRoot {
            fail("validator \(node.index)'s state root differs from its block \(header.height)'s")
        }
        if let driver = node.driver { statistics.maxRound = max(statistics.maxRound, await driver.currentRound) }
    }

    /// Certificates, validity (the node's own `BlockValidator`, incl. BFT time), agreement,
    /// app state agreement and time moving forward, for one block of an honest validator.
    func checkCommitted(_ stored: StoredBlock, at node: SimulatedNode) {
        let header = stored.header
        let height = header.height
        // No certificate in the tip: the checker verifies every precommit of the last commit.
        let tip = node.lastHeader.map { ChainTip(header: $0) } ?? .genesis(genesis)
        do {
            try rules.checkCertificate(stored.certificate, of: header)
            try rules.checkHeader(
                header, lastCommit: stored.block.lastCommit, transactions: stored.transactions,
                extending: tip)
        } catch {
            return fail(
                "validator \(node.index) committed an invalid block or certificate at height \(height): \(error)")
        }
        if let first = decided[height], first != header.hash {
            return fail(
                "agreement violated at height \(height): validator \(node.index) committed \(header.hash), "
                    + "another honest validator \(first)")
        }
        if decided[height] == nil { statistics.transactionsCommitted += stored.transactions.count }
        decided[height] = header.hash
        if let first = appStateAt[height], first != header.stateRoot {
            return fail("app state diverged at height \(height) on validator \(node.index)")
        }
        appStateAt[height] = header.stateRoot
        if let parent = node.lastHeader, header.time <= parent.time {
            fail("BFT time did not move forward at height \(height)")
        }
    }
}
