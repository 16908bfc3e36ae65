import MedLedgerCore
import MedLedgerConsensus

extension SimulationRun {
    var inFaultWindow: Bool { now < faultEnd }

    /// Puts a message on the wire: inside the fault window it may be cut by a partition,
    /// lost, delayed a lot (reordered) or duplicated; afterwards it arrives within the bound.
    func send(from: Int, to: Int, _ message: SimulationMessage) {
        precondition(from != to, "self-delivery does not use the network")
        precondition(to >= 0 && to < nodes.count, "a known validator")
        statistics.messagesSent += 1
        if inFaultWindow {
            if activePartitions.contains(where: { $0.side[from] != $0.side[to] }) || random.chance(permille: profile.lossPermille) {
                statistics.messagesLost += 1
                return
            }
            if random.chance(permille: profile.duplicatePermille) {
                statistics.messagesDuplicated += 1
                queue.push(.deliver(to: to, from: from, message), at: now + delay())
            }
        }
        queue.push(.deliver(to: to, from: from, message), at: now + delay())
    }

    func delay() -> UInt64 {
        let upper = inFaultWindow ? profile.maxFaultDelayMilliseconds : profile.maxDelayMilliseconds
        return random.uniform(profile.minDelayMilliseconds...max(profile.minDelayMilliseconds, upper))
    }

    func broadcast(from node: SimulatedNode, _ message: SimulationMessage) {
        for peer in nodes where peer.index != node.index { send(from: node.index, to: peer.index, message) }
        if node.byzantine, random.chance(permille: profile.garbagePermille) { sendGarbage(from: node) }
    }

    /// Re-sends the valid messages of the current height this node has seen, its own and
    /// others' (the simulated gossip layer), so lost messages arrive once the network is good.
    /// An honest node also re-sends the proof of its valid value, as `ConsensusDriver.onTick`
    /// does: the relay log is bounded and forgotten in a crash, the persisted proof is not.
    func gossip(_ node: SimulatedNode) {
        guard node.up, let machine = node.machine else { return }
        if !node.byzantine {
            for message in node.signer.signedAtHeight { node.remember(message) }
        }
        for message in node.relayLog where message.consensusHeight == node.currentHeight {
            for peer in nodes where peer.index != node.index { send(from: node.index, to: peer.index, message) }
        }
        guard !node.byzantine else { return }
        for vote in machine.validProof {
            for peer in nodes where peer.index != node.index { send(from: node.index, to: peer.index, .vote(vote)) }
        }
    }

    /// A forged vote in some validator's name with a random signature: receivers must drop it.
    func sendGarbage(from node: SimulatedNode) {
        let victim = validators.validators[random.index(validators.validators.count)].id
        let vote = Vote(type: random.chance(permille: 500) ? .prevote : .precommit, chainID: Self.chainID,
                        height: node.currentHeight, round: node.machine?.round ?? 0,
                        blockHash: Hash256(bytes: random.bytes(32)), time: Self.genesisTime)
        let forged = SignedVote(vote: vote, validator: victim, signature: Signature(rawBytes: random.bytes(64))!)
        for peer in nodes where peer.index != node.index { send(from: node.index, to: peer.index, .vote(forged)) }
    }

    /// The driver's signature check: nothing unsigned reaches a state machine.
    func signatureIsGood(_ message: SimulationMessage) -> Bool {
        switch message {
        case .proposal(let proposal, _):
            if goodProposals.contains(proposal) { return true }
            guard let validator = validators.member(proposal.proposer),
                  validator.signingKey.isValidSignature(proposal.signature, for: proposal.signingBytes) else { return false }
            goodProposals.insert(proposal)
            return true
        case .vote(let vote):
            if goodVotes.contains(vote) { return true }
            guard let validator = validators.member(vote.validator), vote.verifies(with: validator.signingKey) else {
                return false
            }
            goodVotes.insert(vote)
            return true
        case .syncRequest, .syncResponse:
            return true  // a sync response is checked through its certificate
        }
    }

    /// `CommitCertificate.problem`, cached per (certificate, block).
    func certificateProblem(_ certificate: CommitCertificate, for header: BlockHeader) -> String? {
        let key = [certificate.hash, header.hash]
        if goodCertificates.contains(key) { return nil }
        let problem = certificate.problem(chainID: Self.chainID, header: header, validators: validators)
        if problem == nil { goodCertificates.insert(key) }
        return problem
    }
}
