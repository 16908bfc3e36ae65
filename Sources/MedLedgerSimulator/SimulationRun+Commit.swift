import MedLedgerCore
import MedLedgerConsensus

extension SimulationRun {
    func fail(_ message: String) {
        if failure == nil { failure = "at \(now) ms: \(message)" }
    }

    /// The machine decided: build the commit certificate from its precommits, check it,
    /// and commit.
    func decide(_ node: SimulatedNode, round: UInt32, blockHash: Hash256, precommits: [SignedVote]) {
        let height = node.currentHeight
        let certificate = CommitCertificate(height: height, round: round, blockHash: blockHash,
                                            signatures: precommits.map {
                                                CommitSignature(validator: $0.validator, time: $0.vote.time, signature: $0.signature)
                                            })
        guard let block = node.blockStore[blockHash] else {
            return fail("validator \(node.index) decided block \(blockHash) at height \(height) without having it")
        }
        commit(node, block, certificate)
    }

    /// Stores a block with its certificate, runs the app, checks the invariants, and starts
    /// the next height. Durable as one step: a crash happens between events, never inside.
    func commit(_ node: SimulatedNode, _ block: SimulatedBlock, _ certificate: CommitCertificate) {
        let height = node.currentHeight
        precondition(block.height == height, "commits extend the chain by one")
        if !node.byzantine {
            if let problem = certificateProblem(certificate, for: block.header) {
                return fail("validator \(node.index) committed height \(height) with a bad certificate: \(problem)")
            }
            guard isValid(block, at: node) else {
                return fail("validator \(node.index) committed an invalid block at height \(height)")
            }
        }
        node.chain.append(block)
        node.certificates.append(certificate)
        node.appStates.append(Hash256.of(parts: [node.appState.bytes, block.hash.bytes]))
        node.blockStore = [:]
        node.inbox = []
        node.clearRelay()
        if !node.byzantine { checkAgreement(node, height: height) }
        precondition(node.chain.count == node.certificates.count, "one certificate per block")
        // The next height starts after a pause (an event), so one event never runs away
        // with many heights (a single validator decides alone, instantly).
        node.machine = nil
        queue.push(.startNextHeight(node: node.index, incarnation: node.incarnation), at: now + Self.commitPauseMilliseconds)
    }

    /// Agreement and app-state agreement: the first honest commit of a height fixes it.
    func checkAgreement(_ node: SimulatedNode, height: Height) {
        let block = node.chain[Int(height) - 1]
        if let first = decided[height], first != block.hash {
            return fail("agreement violated at height \(height): validator \(node.index) committed \(block.hash), "
                        + "another honest validator \(first)")
        }
        decided[height] = block.hash
        let state = node.appState
        if let first = appStateAt[height], first != state {
            return fail("app state diverged at height \(height) on validator \(node.index)")
        }
        appStateAt[height] = state
        if height > 1, block.header.time <= node.chain[Int(height) - 2].header.time {
            fail("BFT time did not move forward at height \(height)")
        }
    }

    /// The driver's message intake: signature check, height routing, block validity.
    func receive(_ node: SimulatedNode, from: Int, _ message: SimulationMessage) {
        guard node.up, failure == nil else { return }
        guard signatureIsGood(message) else {
            statistics.badSignaturesDropped += 1
            return
        }
        statistics.messagesDelivered += 1
        if let height = message.consensusHeight, height != node.currentHeight || node.machine == nil {
            guard height >= node.currentHeight else { return }
            // Early messages (next height, or this one during the commit pause) wait.
            if height <= node.currentHeight + 1, node.futureBuffer.count < 256 { node.futureBuffer.append((from, message)) }
            if height > node.currentHeight { requestSync(node, from: from) }
            return
        }
        switch message {
        case .proposal(let proposal, let block):
            guard proposal.blockHash == block.hash else { return }
            if node.blockStore.count < 64 { node.blockStore[block.hash] = block }
            node.remember(message)
            feed(node, .proposal(proposal, blockIsValid: isValid(block, at: node)))
        case .vote(let vote):
            node.remember(message)
            feed(node, .vote(vote))
        case .syncRequest(let height):
            guard height >= 1, node.chain.count >= Int(height) else { return }
            let index = Int(height) - 1
            send(from: node.index, to: from, .syncResponse(node.chain[index], node.certificates[index]))
        case .syncResponse(let block, let certificate):
            guard block.height == node.currentHeight, certificate.height == block.height,
                  certificateProblem(certificate, for: block.header) == nil, isValid(block, at: node) else { return }
            statistics.blocksSynced += 1
            commit(node, block, certificate)
        }
    }

    /// A peer is ahead: ask it for our next block (at most once per 300 ms per height).
    func requestSync(_ node: SimulatedNode, from: Int) {
        let height = node.currentHeight
        if let last = node.lastSyncRequest, last.height == height, now < last.at + 300 { return }
        node.lastSyncRequest = (height, now)
        send(from: node.index, to: from, .syncRequest(height: height))
    }
}
