import MedLedgerCore
import Testing
@testable import MedLedgerConsensus

@Suite("Locking, equivocation, restore and partitions")
struct LockingTests {
    /// Drives `me` to lock on `v0` in round 0 (proposal + 2f + 1 prevotes), then to round 1
    /// by nil precommits of the others and the precommit timeout.
    private func lockedInRoundZero(_ cluster: inout ConsensusCluster, me: Int, v0: Hash256) {
        _ = cluster.machines[me].start()
        cluster.feed(me, .proposal(cluster.proposal(round: 0, v0), blockIsValid: true))
        let others = (0..<4).filter { $0 != me }
        for node in others.prefix(2) { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 0, v0))) }
        cluster.feed(me, .vote(cluster.vote(me, .prevote, round: 0, v0)))
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .precommit, round: 0, nil))) }
        cluster.feed(me, .timeout(ConsensusTimeout(step: .precommit, height: 1, round: 0)))
    }

    @Test func lockIsKeptAgainstFreshProposalButAHigherPolkaUnlocks() {
        var cluster = ConsensusCluster()
        let me = (cluster.proposerIndex(round: 1) + 2) % 4
        let v0 = ConsensusCluster.blockHash("v0")
        let v1 = ConsensusCluster.blockHash("v1")
        lockedInRoundZero(&cluster, me: me, v0: v0)
        #expect(cluster.lastCast(me, .precommit, round: 0) == .some(v0))
        #expect(cluster.machines[me].lockedBlock == v0 && cluster.machines[me].lockedRound == 0)
        #expect(cluster.machines[me].round == 1)
        // Line 22: a fresh proposal for another value gets a nil prevote while locked.
        cluster.feed(me, .proposal(cluster.proposal(round: 1, v1), blockIsValid: true))
        #expect(cluster.lastCast(me, .prevote, round: 1) == .some(nil))
        // Line 36: a polka for v1 in round 1 (higher than the lock) relocks on v1.
        let others = (0..<4).filter { $0 != me }
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 1, v1))) }
        #expect(cluster.machines[me].lockedBlock == v1 && cluster.machines[me].lockedRound == 1)
        #expect(cluster.machines[me].validBlock == v1 && cluster.machines[me].validRound == 1)
        #expect(cluster.lastCast(me, .precommit, round: 1) == .some(v1))
        guard case .persist(let state)? = cluster.persisted[me].map({ ConsensusAction.persist($0) }) else { return }
        #expect(state.lockedBlock == v1, "the new lock is persisted")
    }

    @Test func reproposalWithNewerPolkaUnlocksViaLine28() {
        var cluster = ConsensusCluster()
        let me = (0..<4).first { $0 != cluster.proposerIndex(round: 2) && $0 != cluster.proposerIndex(round: 1) }!
        let v0 = ConsensusCluster.blockHash("v0")
        let v1 = ConsensusCluster.blockHash("v1")
        lockedInRoundZero(&cluster, me: me, v0: v0)
        // Round 1: we never see the proposal; the others prevote v1 (a polka we cannot act on).
        cluster.feed(me, .timeout(ConsensusTimeout(step: .propose, height: 1, round: 1)))
        #expect(cluster.lastCast(me, .prevote, round: 1) == .some(nil))
        let others = (0..<4).filter { $0 != me }
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 1, v1))) }
        #expect(cluster.machines[me].lockedBlock == v0, "no proposal for v1 seen, lock kept")
        cluster.feed(me, .timeout(ConsensusTimeout(step: .prevote, height: 1, round: 1)))
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .precommit, round: 1, nil))) }
        cluster.feed(me, .timeout(ConsensusTimeout(step: .precommit, height: 1, round: 1)))
        #expect(cluster.machines[me].round == 2)
        // Line 28: re-proposal of v1 with validRound 1 >= lockedRound 0 and a polka in round 1.
        cluster.feed(me, .proposal(cluster.proposal(round: 2, validRound: 1, v1), blockIsValid: true))
        #expect(cluster.lastCast(me, .prevote, round: 2) == .some(v1))
    }

    @Test func reproposalWithOlderPolkaDoesNotUnlock() {
        var cluster = ConsensusCluster()
        let me = (0..<4).first { $0 != cluster.proposerIndex(round: 2) && $0 != cluster.proposerIndex(round: 0) }!
        let v0 = ConsensusCluster.blockHash("v0")
        let v1 = ConsensusCluster.blockHash("v1")
        // Lock on v0 in round 1 instead; then a re-proposal of v1 with validRound 0.
        let state = PersistentConsensusState(
            height: 1, round: 2, step: .propose, lockedRound: 1, lockedBlock: v0,
            validRound: 1, validBlock: v0)
        cluster.machines[me] = TendermintMachine(
            chainID: ConsensusCluster.chainID, validators: cluster.validators,
            me: cluster.id(me), height: 1, timeouts: TimeoutConfig(), restoring: state)
        cluster.perform(me, cluster.machines[me].start())
        let others = (0..<4).filter { $0 != me }
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 0, v1))) }
        cluster.feed(me, .proposal(cluster.proposal(round: 2, validRound: 0, v1), blockIsValid: true))
        #expect(cluster.lastCast(me, .prevote, round: 2) == .some(nil))
    }

    @Test func restoredMachineKeepsItsLock() {
        var cluster = ConsensusCluster()
        let me = (0..<4).first { $0 != cluster.proposerIndex(round: 3) }!
        let v0 = ConsensusCluster.blockHash("v0")
        let v1 = ConsensusCluster.blockHash("v1")
        let state = PersistentConsensusState(
            height: 1, round: 3, step: .propose, lockedRound: 2, lockedBlock: v0,
            validRound: 2, validBlock: v0)
        cluster.machines[me] = TendermintMachine(
            chainID: ConsensusCluster.chainID, validators: cluster.validators,
            me: cluster.id(me), height: 1, timeouts: TimeoutConfig(), restoring: state)
        let startActions = cluster.machines[me].start()
        cluster.perform(me, startActions)
        #expect(!startActions.contains { if case .persist = $0 { true } else { false } }, "nothing changed yet")
        #expect(cluster.machines[me].round == 3 && cluster.machines[me].lockedBlock == v0)
        cluster.feed(me, .proposal(cluster.proposal(round: 3, v1), blockIsValid: true))
        #expect(cluster.lastCast(me, .prevote, round: 3) == .some(nil))
        // Votes of older rounds do not move it back.
        let others = (0..<4).filter { $0 != me }
        for node in others { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 1, v1))) }
        #expect(cluster.machines[me].round == 3 && cluster.machines[me].lockedBlock == v0)
    }

    @Test func restoredInPrevoteStepDoesNotPrevoteAgain() {
        var cluster = ConsensusCluster()
        let me = (0..<4).first { $0 != cluster.proposerIndex(round: 0) }!
        let v1 = ConsensusCluster.blockHash("v1")
        let state = PersistentConsensusState(height: 1, round: 0, step: .prevote)
        cluster.machines[me] = TendermintMachine(
            chainID: ConsensusCluster.chainID, validators: cluster.validators,
            me: cluster.id(me), height: 1, timeouts: TimeoutConfig(), restoring: state)
        cluster.perform(me, cluster.machines[me].start())
        #expect(cluster.pendingTimeouts.contains { $0.timeout.step == .prevote && $0.timeout.round == 0 })
        cluster.feed(me, .proposal(cluster.proposal(round: 0, v1), blockIsValid: true))
        #expect(cluster.lastCast(me, .prevote, round: 0) == nil, "already prevoted before the crash")
    }

    @Test func equivocationIsReportedAndNotDoubleCounted() {
        var cluster = ConsensusCluster()
        let me = 0
        let v = ConsensusCluster.blockHash("v")
        let w = ConsensusCluster.blockHash("w")
        _ = cluster.machines[me].start()
        cluster.feed(me, .vote(cluster.vote(1, .prevote, round: 0, v)))
        let actions = cluster.feed(me, .vote(cluster.vote(1, .prevote, round: 0, w)))
        #expect(actions.contains(.reportEquivocation(validator: cluster.id(1), height: 1, round: 0)))
        let again = cluster.feed(me, .vote(cluster.vote(1, .prevote, round: 0, nil)))
        #expect(!again.contains { if case .reportEquivocation = $0 { true } else { false } }, "reported once")
        cluster.feed(me, .vote(cluster.vote(1, .prevote, round: 0, v)))  // duplicate: ignored
        // Each value counts the validator at most once, and the total counts it once.
        #expect(cluster.machines[me].prevotes[0]?.power(for: v) == 1)
        #expect(cluster.machines[me].prevotes[0]?.power(for: w) == 1)
        #expect(cluster.machines[me].prevotes[0]?.totalPower == 1)
        // So the equivocator plus one honest prevote for w are two, not the three of a polka.
        cluster.feed(me, .vote(cluster.vote(2, .prevote, round: 0, w)))
        #expect(cluster.machines[me].prevotes[0]?.power(for: w) == 2)
        #expect(cluster.machines[me].prevotes[0]?.totalPower == 2)
        // An equivocating proposer is reported too.
        let proposerIndex = cluster.proposerIndex(round: 0)
        let p1 = cluster.proposal(round: 0, v)
        let p2 = cluster.proposal(round: 0, w)
        cluster.feed(me, .proposal(p1, blockIsValid: true))
        let second = cluster.feed(me, .proposal(p2, blockIsValid: true))
        #expect(second.contains(.reportEquivocation(validator: cluster.id(proposerIndex), height: 1, round: 0)))
    }

    @Test func partitionOfFStillDecides() {
        var cluster = ConsensusCluster()
        let down = (cluster.proposerIndex(round: 0) + 1) % 4
        cluster.up[down] = false
        cluster.startAll()
        cluster.pump()
        let decided = (0..<4).filter { cluster.decisions[$0] != nil }
        #expect(decided.count == 3)
        #expect(Set(decided.map { cluster.decisions[$0]!.blockHash }).count == 1)
        #expect(decided.allSatisfy { cluster.decisions[$0]!.round == 0 })
    }

    @Test func twoOfFourCannotDecide() {
        var cluster = ConsensusCluster()
        cluster.up[0] = false
        cluster.up[1] = false
        cluster.startAll()
        cluster.pump()
        for _ in 0..<6 {
            cluster.fire(.propose)
            cluster.fire(.prevote)
            cluster.fire(.precommit)
        }
        #expect(cluster.decisions.isEmpty)
        // Nobody can lock either: a polka needs three prevotes.
        #expect(cluster.machines[2].lockedBlock == nil && cluster.machines[3].lockedBlock == nil)
    }
}
