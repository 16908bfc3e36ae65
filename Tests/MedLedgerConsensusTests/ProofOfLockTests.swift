import MedLedgerCore
import Testing
@testable import MedLedgerConsensus

/// The proof of the valid value (its polka's prevotes) survives a crash and lets peers that
/// never saw that polka accept the re-proposal (simulation seed 7000259, chaos).
@Suite("Proof of lock")
struct ProofOfLockTests {
    @Test func restartedValidatorKeepsItsProofAndAPeerAcceptsTheReproposalWithIt() {
        var cluster = ConsensusCluster()
        let v0 = ConsensusCluster.blockHash("v0")
        let me = 0
        let byzantine = 1
        let peer = 2
        // Round 0: the polka for v0 is me, a peer that later leaves, and a Byzantine vote
        // that only I received.
        _ = cluster.machines[me].start()
        cluster.feed(me, .proposal(cluster.proposal(round: 0, v0), blockIsValid: true))
        for node in [byzantine, 3] { cluster.feed(me, .vote(cluster.vote(node, .prevote, round: 0, v0))) }
        cluster.feed(me, .vote(cluster.vote(me, .prevote, round: 0, v0)))
        #expect(cluster.machines[me].lockedBlock == v0 && cluster.machines[me].validRound == 0)
        let proof = cluster.machines[me].validProof
        #expect(proof.count == 3 && proof.contains { $0.validator == cluster.id(byzantine) })
        let persisted = cluster.persisted[me]
        #expect(persisted?.validProof == proof, "the proof is persisted with the lock")

        // Crash and restart: the machine's memory is gone, the persisted state is not.
        var restarted = TendermintMachine(
            chainID: ConsensusCluster.chainID, validators: cluster.validators,
            me: cluster.id(me), height: 1, timeouts: TimeoutConfig(), restoring: persisted)
        _ = restarted.start()
        #expect(restarted.validProof == proof && restarted.lockedBlock == v0)

        // A peer in round 2 gets a re-proposal of v0 with validRound 0: line 28 waits for
        // the polka, which only the restarted validator can still show.
        let round: Round = 2
        cluster.machines[peer] = TendermintMachine(
            chainID: ConsensusCluster.chainID, validators: cluster.validators,
            me: cluster.id(peer), height: 1, timeouts: TimeoutConfig(),
            restoring: PersistentConsensusState(height: 1, round: round))
        cluster.perform(peer, cluster.machines[peer].start())
        cluster.feed(peer, .proposal(cluster.proposal(round: round, validRound: 0, v0), blockIsValid: true))
        #expect(cluster.lastCast(peer, .prevote, round: round) == nil, "no polka for round 0 seen yet")
        for vote in restarted.validProof { cluster.feed(peer, .vote(vote)) }
        #expect(cluster.lastCast(peer, .prevote, round: round) == .some(v0))
    }

    @Test func proofRoundTripsThroughTheCanonicalEncoding() throws {
        let cluster = ConsensusCluster()
        let v0 = ConsensusCluster.blockHash("v0")
        let proof = (0..<3).map { cluster.vote($0, .prevote, round: 1, v0) }
        let state = PersistentConsensusState(
            height: 1, round: 2, step: .precommit, lockedRound: 1, lockedBlock: v0,
            validRound: 1, validBlock: v0, validProof: proof)
        var encoder = CanonicalEncoder()
        encoder.write(state)
        var decoder = CanonicalDecoder(encoder.bytes)
        #expect(try decoder.read(PersistentConsensusState.self) == state)
        try decoder.finish()
    }
}
