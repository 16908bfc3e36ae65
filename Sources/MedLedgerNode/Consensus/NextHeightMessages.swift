import MedLedgerCore
import MedLedgerConsensus

/// Proposals and votes of the height after ours, their signatures verified, kept until we
/// reach that height.
///
/// Why: a validator a little behind the others receives the next height's proposal and
/// votes while it is still finishing its own height. They used to be dropped, and the
/// others, once past that height, stop re-sending them: the late validator then waited at
/// the next height for a proposal nobody would send again, until block sync fetched the
/// block. When it was also the proposer of the height after, the whole network waited for
/// it through a failed round (about 4 s, seen on a 4-validator testnet at 200 tx/s).
///
/// Bounded, so a peer cannot make a validator hold much: only the height after ours; only
/// that height's round-0 proposal, from its proposer (later rounds' proposals are re-sent
/// every second by their proposers, who are still at that height); at most
/// `votesPerValidator` votes from each validator, so a validator crowds out only its own.
struct NextHeightMessages {
    /// A prevote and a precommit for each of two rounds.
    static let votesPerValidator = 4

    /// The height the kept messages are for.
    private(set) var height: Height?
    private var proposal: (Proposal, Block)?
    /// In arrival order.
    private var votes: [SignedVote] = []

    /// How many messages are kept (for tests).
    var count: Int { votes.count + (proposal == nil ? 0 : 1) }

    /// Keeps a verified proposal for `height`, if it is that height's round-0 proposal by
    /// `proposer` and none is kept yet.
    mutating func keep(_ proposal: Proposal, _ block: Block, height: Height, proposer: IdentityID) {
        guard proposal.height == height, proposal.round == 0, proposal.proposer == proposer else { return }
        moveTo(height)
        if self.proposal == nil { self.proposal = (proposal, block) }
    }

    /// Keeps a verified vote for `height`, unless its validator has `votesPerValidator` kept.
    mutating func keep(_ vote: SignedVote, height: Height) {
        guard vote.vote.height == height else { return }
        moveTo(height)
        guard !votes.contains(vote),
            votes.count(where: { $0.validator == vote.validator }) < Self.votesPerValidator
        else { return }
        votes.append(vote)
    }

    /// Hands over what was kept for `height`, proposal first, and forgets everything.
    mutating func take(height: Height) -> (proposal: (Proposal, Block)?, votes: [SignedVote]) {
        defer { self = NextHeightMessages() }
        guard self.height == height else { return (nil, []) }
        return (proposal, votes)
    }

    /// Messages of an older height are of no use once a later one is kept.
    private mutating func moveTo(_ height: Height) {
        if self.height != height { self = NextHeightMessages(height: height) }
    }

    private init(height: Height) { self.height = height }
    init() {}
}
