import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerNode

/// The simulated network: what `SimulatedTransport` does with a message.
extension SimulationRun {
    var inFaultWindow: Bool { now < faultEnd }

    /// Puts a message on the wire: inside the fault window it may be cut by a partition,
    /// lost, delayed a lot (reordered) or duplicated; afterwards it arrives within the bound.
    func send(from: Int, to: Int, _ message: PeerMessage) {
        precondition(from != to, "self-delivery does not use the network")
        precondition(to >= 0 && to < nodes.count, "a known validator")
        statistics.messagesSent += 1
        if inFaultWindow {
            if activePartitions.contains(where: { $0.side[from] != $0.side[to] })
                || random.chance(permille: profile.lossPermille)
            {
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

    /// A driver's broadcast: to every other validator, in index order; a Byzantine
    /// validator's proposals and votes are turned into equivocations on the way out.
    func broadcast(from index: Int, _ message: PeerMessage) -> Int {
        let node = nodes[index]
        guard node.byzantine else {
            for peer in nodes where peer.index != index { send(from: index, to: peer.index, message) }
            return nodes.count - 1
        }
        switch message {
        case .vote(let vote): equivocate(node, vote)
        case .proposal(let proposal, let block): equivocate(node, proposal, block)
        default: for peer in nodes where peer.index != index { send(from: index, to: peer.index, message) }
        }
        if random.chance(permille: profile.garbagePermille) { sendGarbage(from: node) }
        return nodes.count - 1
    }

    /// A forged vote in some validator's name with a random signature: receivers must drop it.
    func sendGarbage(from node: SimulatedNode) {
        let victim = validators.validators[random.index(validators.validators.count)].id
        let vote = Vote(
            type: random.chance(permille: 500) ? .prevote : .precommit, chainID: Self.chainID,
            height: node.checkedHeight + 1, round: Round(UInt32(random.below(3))),
            blockHash: Hash256(bytes: random.bytes(32)), time: Self.genesisTime)
        let forged = SignedVote(vote: vote, validator: victim, signature: Signature(rawBytes: random.bytes(64))!)
        for peer in nodes where peer.index != node.index { send(from: node.index, to: peer.index, .vote(forged)) }
    }
}
