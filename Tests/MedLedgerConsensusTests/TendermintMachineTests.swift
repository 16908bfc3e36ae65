import MedLedgerCore
import Testing
@testable import MedLedgerConsensus

@Suite("Tendermint state machine scenarios")
struct TendermintMachineTests {
    @Test func happyPathDecidesInRoundZero() {
        var cluster = ConsensusCluster()
        cluster.startAll()
        cluster.pump()
        let proposer = cluster.proposerIndex(round: 0)
        let expected = ConsensusClusterHash.block(height: 1, round: 0, node: proposer)
        #expect(cluster.decisions.count == 4)
        for node in 0..<4 {
            #expect(cluster.decisions[node]?.round == 0)
            #expect(cluster.decisions[node]?.blockHash == expected)
            #expect((cluster.decisions[node]?.precommits.count ?? 0) >= 3)
            #expect(cluster.machines[node].step == .committed)
        }
    }

    @Test func persistComesBeforeEveryVoteAndProposal() {
        var machine = TendermintMachine(
            chainID: "c", validators: ConsensusCluster().validators,
            me: ConsensusCluster().id(ConsensusCluster().proposerIndex(round: 0)),
            height: 1, timeouts: TimeoutConfig())
        let actions = machine.start()
        guard case .persist(let state) = actions.first else {
            Issue.record("first action is \(String(describing: actions.first))")
            return
        }
        #expect(state.round == 0 && state.step == .propose)
        #expect(actions.contains(.proposeNewBlock(height: 1, round: 0)))
    }

    @Test func silentProposerLeadsToRoundOneDecision() {
        var cluster = ConsensusCluster()
        let silent = cluster.proposerIndex(round: 0)
        cluster.up[silent] = false
        cluster.startAll()
        cluster.pump()
        #expect(cluster.decisions.isEmpty)
        cluster.fire(.propose)  // line 57: prevote nil
        for node in 0..<4 where node != silent {
            #expect(cluster.lastCast(node, .prevote, round: 0) == .some(nil))
            #expect(cluster.lastCast(node, .precommit, round: 0) == .some(nil))  // line 44
        }
        cluster.fire(.prevote)
        cluster.fire(.precommit)  // line 65: StartRound(1)
        let proposer1 = cluster.proposerIndex(round: 1)
        #expect(proposer1 != silent)
        for node in 0..<4 where node != silent {
            #expect(cluster.decisions[node]?.round == 1)
            #expect(
                cluster.decisions[node]?.blockHash == ConsensusClusterHash.block(height: 1, round: 1, node: proposer1))
        }
    }

    @Test func nilPolkaPrecommitsNil() {
        var cluster = ConsensusCluster()
        let me = (cluster.proposerIndex(round: 0) + 1) % 4
        _ = cluster.machines[me].start()
        let others = (0..<4).filter { $0 != me }
        for node in others.prefix(2) { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 0, nil))) }
        #expect(cluster.machines[me].step == .propose)
        let actions = cluster.feed(me, .vote(cluster.vote(others[2], .prevote, round: 0, nil)))
        // 2f + 1 nil prevotes do not make a propose-step validator precommit; it first prevotes.
        #expect(!actions.contains { if case .castVote(.precommit, _, _, _) = $0 { true } else { false } })
        cluster.feed(me, .timeout(ConsensusTimeout(step: .propose, height: 1, round: 0)))
        #expect(cluster.lastCast(me, .precommit, round: 0) == .some(nil))
        #expect(cluster.machines[me].step == .precommit)
        #expect(cluster.machines[me].lockedRound == nil)
    }

    @Test func higherRoundMessagesFromFPlusOneSkipAhead() {
        var cluster = ConsensusCluster()
        let me = 0
        _ = cluster.machines[me].start()
        cluster.feed(me, .vote(cluster.vote(1, .prevote, round: 5, nil)))
        #expect(cluster.machines[me].round == 0, "one validator (f) is not enough")
        cluster.feed(me, .vote(cluster.vote(1, .precommit, round: 5, nil)))
        #expect(cluster.machines[me].round == 0, "the same validator counts once")
        let actions = cluster.feed(me, .vote(cluster.vote(2, .precommit, round: 5, nil)))
        #expect(cluster.machines[me].round == 5)
        #expect(cluster.machines[me].step == .propose)
        #expect(
            actions.contains(
                .scheduleTimeout(
                    ConsensusTimeout(step: .propose, height: 1, round: 5),
                    afterMilliseconds: TimeoutConfig().duration(.propose, round: 5))))
        guard case .persist(let state) = actions.first else {
            Issue.record("no persist first")
            return
        }
        #expect(state.round == 5)
    }

    @Test func futureRoundVotesAreBufferedAndCount() {
        var cluster = ConsensusCluster()
        let me = (cluster.proposerIndex(round: 1) + 1) % 4
        _ = cluster.machines[me].start()
        let block = ConsensusCluster.blockHash("future")
        let voters = (0..<4).filter { $0 != me }
        // Round-1 proposal and 2f + 1 precommits arrive while we are still in round 0:
        // line 49 decides for any round.
        cluster.feed(me, .proposal(cluster.proposal(round: 1, block), blockIsValid: true))
        for node in voters.prefix(2) { cluster.feed(me, .vote(cluster.vote(node, .precommit, round: 1, block))) }
        #expect(cluster.decisions[me] == nil)
        cluster.feed(me, .vote(cluster.vote(voters[2], .precommit, round: 1, block)))
        #expect(cluster.decisions[me]?.blockHash == block)
        #expect(cluster.decisions[me]?.round == 1)
    }
}

/// Block hashes the cluster's proposers make.
enum ConsensusClusterHash {
    static func block(height: Height, round: Round, node: Int) -> Hash256 {
        ConsensusCluster.blockHash("\(height)-\(round)-\(node)")
    }
}

/// Issue 6.7: a Byzantine validator cannot make a machine keep vote sets for any round.
@Suite struct RoundWindowTests {
    @Test func votesFarAheadAreDroppedButNearOnesSkipTheRound() {
        var cluster = ConsensusCluster()
        let me = 0
        _ = cluster.machines[me].start()
        let far = Round(Limits.consensusMaxRoundsAhead + 1)
        for node in 1...3 {
            _ = cluster.feed(me, .vote(cluster.vote(node, .prevote, round: far, nil)))
        }
        #expect(cluster.machines[me].round == 0, "f + 1 votes beyond the window do not move the round")
        #expect(cluster.machines[me].prevotes[far] == nil, "and are not kept")
        let near = Round(Limits.consensusMaxRoundsAhead)
        for node in 1...2 {
            _ = cluster.feed(me, .vote(cluster.vote(node, .prevote, round: near, nil)))
        }
        #expect(cluster.machines[me].round == near, "f + 1 votes inside the window skip to their round (line 55)")
    }
}
