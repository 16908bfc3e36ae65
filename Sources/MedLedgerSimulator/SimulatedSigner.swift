import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerNode

/// A Byzantine validator runs the production driver too, but its signer lies on the way
/// out: every vote goes with a made-up time, one value to half the peers and another to the
/// rest; every proposal goes to half the peers, and a second proposal for another block of
/// the same round to the rest. Its keys are its own, so the signatures verify.
extension SimulationRun {
    /// One vote to even-indexed peers, a conflicting one to odd-indexed peers; sometimes a
    /// witness gets both, so the equivocation is seen and reported.
    func equivocate(_ node: SimulatedNode, _ signed: SignedVote) {
        let vote = signed.vote
        let lyingTime = ConsensusTime(milliseconds: Self.genesisTime.milliseconds + random.below(10_000_000))
        let other = vote.blockHash == nil ? Hash256(bytes: random.bytes(32)) : nil
        let votes = [vote.blockHash, other].map {
            SignedVote(
                vote: Vote(
                    type: vote.type, chainID: vote.chainID, height: vote.height, round: vote.round,
                    blockHash: $0, time: lyingTime), keys: node.keys)
        }
        for peer in nodes where peer.index != node.index {
            send(from: node.index, to: peer.index, .vote(votes[peer.index % 2]))
        }
        let witness = nodes[random.index(nodes.count)]
        if witness.index != node.index, random.chance(permille: 300) {
            send(from: node.index, to: witness.index, .vote(votes[(witness.index + 1) % 2]))
        }
    }

    /// The proposal to even-indexed peers; to odd-indexed peers a proposal of the same
    /// round for another block (`SimulatedBlock.alternative`), valid or not.
    func equivocate(_ node: SimulatedNode, _ proposal: Proposal, _ block: Block) {
        let second = SimulatedBlock.alternative(to: block, rules: rules, random: &random)
        let secondProposal = Proposal(
            chainID: proposal.chainID, height: proposal.height, round: proposal.round,
            validRound: proposal.validRound, blockHash: second.hash, keys: node.keys)
        for peer in nodes where peer.index != node.index {
            let message: PeerMessage =
                peer.index % 2 == 0 ? .proposal(proposal, block) : .proposal(secondProposal, second)
            send(from: node.index, to: peer.index, message)
        }
    }
}
