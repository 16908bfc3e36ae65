import MedLedgerConsensus
import MedLedgerCore
import MedLedgerTesting
import Testing

@testable import MedLedgerNode

/// The next height's proposal and votes, kept for a validator still finishing its height
/// (see `NextHeightMessages`).
@Suite struct NextHeightMessagesTests {
    static let chainID = TestNode.chainID
    static let proposer = IdentityKeys.generate()
    static let other = IdentityKeys.generate()

    static func vote(_ keys: IdentityKeys, height: Height, round: Round = 0, type: VoteType = .prevote) -> SignedVote {
        SignedVote(
            vote: Vote(
                type: type, chainID: chainID, height: height, round: round, blockHash: Hash256.of([1]),
                time: ConsensusTime(milliseconds: 1)),
            keys: keys)
    }

    static func proposal(_ keys: IdentityKeys, height: Height, round: Round = 0) -> (Proposal, Block) {
        let header = BlockHeader(
            chainID: chainID, height: height, time: ConsensusTime(milliseconds: 1), previousBlockHash: Hash256.of([2]),
            lastCommitHash: .zero, transactionsRoot: .empty, resultsRoot: .empty, stateRoot: .empty,
            validatorsHash: .zero, proposer: keys.identityID)
        let lastCommit = CommitCertificate(height: height - 1, round: 0, blockHash: .zero, signatures: [])
        let block = Block(header: header, lastCommit: lastCommit, transactions: [])
        let proposal = Proposal(
            chainID: chainID, height: height, round: round, validRound: nil, blockHash: block.hash, keys: keys)
        return (proposal, block)
    }

    @Test func keptMessagesAreHandedOverOnceAtTheirHeight() throws {
        var kept = NextHeightMessages()
        let (proposal, block) = Self.proposal(Self.proposer, height: 8)
        kept.keep(proposal, block, height: 8, proposer: Self.proposer.identityID)
        let votes = [Self.vote(Self.other, height: 8), Self.vote(Self.proposer, height: 8, type: .precommit)]
        for vote in votes { kept.keep(vote, height: 8) }
        #expect(kept.count == 3)
        #expect(kept.take(height: 7).votes.isEmpty)
        #expect(kept.count == 0)

        for vote in votes { kept.keep(vote, height: 8) }
        kept.keep(proposal, block, height: 8, proposer: Self.proposer.identityID)
        let early = kept.take(height: 8)
        #expect(early.proposal?.0 == proposal)
        #expect(early.votes == votes)
        #expect(kept.take(height: 8).votes.isEmpty)
    }

    @Test func onlyTheRoundZeroProposalOfItsProposerIsKept() {
        var kept = NextHeightMessages()
        let (fromOther, otherBlock) = Self.proposal(Self.other, height: 8)
        kept.keep(fromOther, otherBlock, height: 8, proposer: Self.proposer.identityID)
        let (roundOne, roundOneBlock) = Self.proposal(Self.proposer, height: 8, round: 1)
        kept.keep(roundOne, roundOneBlock, height: 8, proposer: Self.proposer.identityID)
        let (otherHeight, otherHeightBlock) = Self.proposal(Self.proposer, height: 9)
        kept.keep(otherHeight, otherHeightBlock, height: 8, proposer: Self.proposer.identityID)
        #expect(kept.count == 0)
        let (first, firstBlock) = Self.proposal(Self.proposer, height: 8)
        kept.keep(first, firstBlock, height: 8, proposer: Self.proposer.identityID)
        let second = Proposal(
            chainID: Self.chainID, height: 8, round: 0, validRound: nil, blockHash: Hash256.of([9]), keys: Self.proposer
        )
        kept.keep(second, firstBlock, height: 8, proposer: Self.proposer.identityID)
        #expect(kept.take(height: 8).proposal?.0 == first)
    }

    /// A validator sending many votes fills only its own share; duplicates count once.
    @Test func eachValidatorKeepsAtMostItsShareOfVotes() {
        var kept = NextHeightMessages()
        let flood = (0..<50).map { Self.vote(Self.other, height: 8, round: Round(rawValue: UInt32($0))) }
        for vote in flood + flood { kept.keep(vote, height: 8) }
        let honest = Self.vote(Self.proposer, height: 8)
        kept.keep(honest, height: 8)
        kept.keep(honest, height: 8)
        let votes = kept.take(height: 8).votes
        #expect(votes.count == NextHeightMessages.votesPerValidator + 1)
        #expect(
            votes.filter { $0.validator == Self.other.identityID }
                == Array(flood.prefix(NextHeightMessages.votesPerValidator)))
        #expect(votes.last == honest)
    }

    /// Once a later height is kept, the earlier one's messages go.
    @Test func aLaterHeightReplacesAnEarlierOne() {
        var kept = NextHeightMessages()
        kept.keep(Self.vote(Self.other, height: 8), height: 8)
        let later = Self.vote(Self.other, height: 9)
        kept.keep(later, height: 9)
        #expect(kept.height == 9 && kept.count == 1)
        #expect(kept.take(height: 9).votes == [later])
    }
}
