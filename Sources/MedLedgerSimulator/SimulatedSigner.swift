import MedLedgerCore
import MedLedgerConsensus

/// The validator's signer with double-sign protection (Tendermint's privval): it remembers
/// the last (height, round, step) it signed and refuses anything earlier, or anything
/// different at the same step; asked again for the same thing, it returns the same
/// signature. Its state is durable: it survives crashes.
struct SimulatedSigner {
    /// (height, round, step rank): proposal 0 < prevote 1 < precommit 2.
    struct Position: Comparable {
        let height: Height
        let round: UInt32
        let rank: UInt8
        static func < (lhs: Position, rhs: Position) -> Bool {
            (lhs.height, lhs.round, lhs.rank) < (rhs.height, rhs.round, rhs.rank)
        }
    }

    let chainID: String
    let keys: IdentityKeys
    private(set) var last: Position?
    private var lastProposal: (Proposal, SimulatedBlock)?
    private var lastVote: SignedVote?
    /// Messages signed at the newest height, re-gossiped until the height is over.
    private(set) var signedAtHeight: [SimulationMessage] = []

    init(chainID: String, keys: IdentityKeys) {
        self.chainID = chainID
        self.keys = keys
    }

    /// A previously signed proposal for (height, round), to send again after a restart.
    func proposal(height: Height, round: UInt32) -> (Proposal, SimulatedBlock)? {
        guard let lastProposal, lastProposal.0.height == height, lastProposal.0.round == round else { return nil }
        return lastProposal
    }

    mutating func signProposal(_ block: SimulatedBlock, round: UInt32, validRound: UInt32?) -> Proposal? {
        let position = Position(height: block.height, round: round, rank: 0)
        if let last, position <= last {
            guard position == last, let (previous, _) = lastProposal, previous.blockHash == block.hash,
                  previous.validRound == validRound else { return nil }
            return previous
        }
        let proposal = Proposal(chainID: chainID, height: block.height, round: round, validRound: validRound,
                                blockHash: block.hash, keys: keys)
        advance(to: position)
        lastProposal = (proposal, block)
        signedAtHeight.append(.proposal(proposal, block))
        return proposal
    }

    mutating func signVote(_ vote: Vote) -> SignedVote? {
        let position = Position(height: vote.height, round: vote.round, rank: vote.type == .prevote ? 1 : 2)
        if let last, position <= last {
            guard position == last, let lastVote, lastVote.vote.blockHash == vote.blockHash else { return nil }
            return lastVote
        }
        let signed = SignedVote(vote: vote, keys: keys)
        advance(to: position)
        lastVote = signed
        signedAtHeight.append(.vote(signed))
        return signed
    }

    private mutating func advance(to position: Position) {
        precondition(last.map { position > $0 } ?? true, "the signer only moves forward")
        if let last, position.height > last.height { signedAtHeight = [] }
        last = position
        // Bound the log; the latest messages are the ones that matter.
        if signedAtHeight.count > 64 { signedAtHeight.removeFirst(signedAtHeight.count - 64) }
    }
}
