import MedLedgerCore
import MedLedgerConsensus

/// What travels between simulated validators.
enum SimulationMessage: Sendable {
    case proposal(Proposal, SimulatedBlock)
    case vote(SignedVote)
    /// "Send me your committed block at this height" (block sync for laggards).
    case syncRequest(height: Height)
    case syncResponse(SimulatedBlock, CommitCertificate)

    /// The consensus height a proposal or vote is for.
    var consensusHeight: Height? {
        switch self {
        case .proposal(let proposal, _): proposal.height
        case .vote(let vote): vote.vote.height
        case .syncRequest, .syncResponse: nil
        }
    }
}

/// Something that happens at a virtual time.
enum SimulationEvent: Sendable {
    case deliver(to: Int, from: Int, SimulationMessage)
    case timeout(node: Int, incarnation: Int, ConsensusTimeout)
    case gossip(node: Int)
    /// The pause after a commit (Tendermint's timeout_commit) before the next height.
    case startNextHeight(node: Int, incarnation: Int)
    case crash(node: Int)
    case restart(node: Int)
    case partitionStart(id: Int, side: [Bool])
    case partitionHeal(id: Int)
}
