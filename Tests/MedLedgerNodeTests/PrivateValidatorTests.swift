import Foundation
import MedLedgerClient
import Testing
import MedLedgerCore
import MedLedgerConsensus
@testable import MedLedgerNode
import MedLedgerTesting

/// A validator restarted at any instant must not sign anything conflicting with what it
/// already signed: the record is on disk before the vote leaves.
@Suite struct PrivateValidatorTests {
    let keys = IdentityKeys.deterministic(seed: "validator")

    func file() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("consensus-\(UUID().uuidString).bin")
    }

    func vote(_ type: VoteType, round: Round, _ seed: String?) -> Vote {
        Vote(
            type: type, chainID: "c", height: 5, round: round, blockHash: seed.map { Hash256.of(Array($0.utf8)) },
            time: ConsensusTime(milliseconds: 10))
    }

    @Test func conflictingVoteIsRefusedEvenAfterARestart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        signer.persist(PersistentConsensusState(height: 5, round: 0, step: .prevote))
        #expect(try signer.sign(vote(.prevote, round: 0, "a")) != nil)
        #expect(try signer.sign(vote(.prevote, round: 0, "a")) != nil)  // the same vote again is fine
        #expect(try signer.sign(vote(.prevote, round: 0, "b")) == nil)
        var restarted = try PrivateValidator(keys: keys, file: url)
        #expect(restarted.consensusState?.step == .prevote)
        #expect(try restarted.sign(vote(.prevote, round: 0, "b")) == nil)
        #expect(try restarted.sign(vote(.prevote, round: 0, nil)) == nil)
        #expect(try restarted.sign(vote(.precommit, round: 0, "a")) != nil)
        #expect(try restarted.sign(vote(.prevote, round: 1, "b")) != nil)
    }

    /// A state on its own waits for the next vote, proposal or flush, so a state and the vote
    /// that follows it cost one file replacement; nothing leaves the node in between.
    @Test func aStateIsWrittenWithTheNextVoteOrAtFlush() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        signer.persist(PersistentConsensusState(height: 5, round: 0, step: .propose))
        #expect(signer.hasUnwrittenState)
        #expect(try PrivateValidator(keys: keys, file: url).consensusState == nil)
        try signer.flush()
        #expect(!signer.hasUnwrittenState)
        #expect(try PrivateValidator(keys: keys, file: url).consensusState?.step == .propose)

        signer.persist(PersistentConsensusState(height: 5, round: 0, step: .prevote))
        _ = try #require(try signer.sign(vote(.prevote, round: 0, "a")))
        #expect(!signer.hasUnwrittenState, "the vote's write carried the state")
        #expect(try PrivateValidator(keys: keys, file: url).consensusState?.step == .prevote)

        signer.persist(PersistentConsensusState(height: 5, round: 0, step: .precommit))
        #expect(try signer.recordProposal(height: 5, round: 1, blockHash: Hash256.of([1])))
        #expect(try PrivateValidator(keys: keys, file: url).consensusState?.step == .precommit)
    }

    @Test func secondProposalForARoundIsRefusedAfterARestart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        #expect(try signer.recordProposal(height: 5, round: 0, blockHash: Hash256.of([1])))
        var restarted = try PrivateValidator(keys: keys, file: url)
        #expect(try restarted.recordProposal(height: 5, round: 0, blockHash: Hash256.of([1])))
        #expect(try !restarted.recordProposal(height: 5, round: 0, blockHash: Hash256.of([2])))
        #expect(try restarted.recordProposal(height: 5, round: 1, blockHash: Hash256.of([2])))
    }

    @Test func proofOfLockSurvivesARestart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        let block = Hash256.of([7])
        let proof = [
            SignedVote(
                vote: Vote(
                    type: .prevote, chainID: "c", height: 5, round: 1, blockHash: block,
                    time: ConsensusTime(milliseconds: 10)), keys: keys)
        ]
        let state = PersistentConsensusState(
            height: 5, round: 2, step: .propose, lockedRound: 1, lockedBlock: block,
            validRound: 1, validBlock: block, validProof: proof)
        signer.persist(state)
        try signer.flush()
        #expect(try PrivateValidator(keys: keys, file: url).consensusState == state)
    }

    /// A file written before the state carried its proof still loads (lock kept, proof empty).
    @Test func recordWithoutProofStillLoads() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        let block = Hash256.of([7])
        let state = PersistentConsensusState(
            height: 5, round: 2, step: .precommit, lockedRound: 1, lockedBlock: block,
            validRound: 1, validBlock: block)
        var encoder = CanonicalEncoder()
        encoder.write(state)
        var old = CanonicalEncoder()
        old.write(UInt8(1))  // optional tag: a state follows
        old.write(fixed: Array(encoder.bytes.dropLast(4)))  // the state without the proof's count
        old.write(array: [PrivateValidator.SignedStep(type: .prevote, height: 5, round: 2, blockHash: nil)])
        old.write(array: [PrivateValidator.SignedStep]())
        try Data(old.bytes).write(to: url)
        var signer = try PrivateValidator(keys: keys, file: url)
        #expect(signer.consensusState == state)
        #expect(try signer.sign(vote(.prevote, round: 2, "a")) == nil, "what was signed before is remembered")
    }

    /// The votes signed at the current height survive a restart, so the driver can re-send
    /// them (simulation seed 20030: peers cut off before the crash never got them and the
    /// height stalled); a new height forgets them.
    @Test func signedVotesSurviveARestartUntilTheNextHeight() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        signer.persist(PersistentConsensusState(height: 5, round: 0, step: .prevote))
        let prevote = try #require(try signer.sign(vote(.prevote, round: 0, "a")))
        _ = try signer.sign(vote(.prevote, round: 0, "a"))  // asked again: not recorded twice
        let precommit = try #require(try signer.sign(vote(.precommit, round: 0, nil)))
        var restarted = try PrivateValidator(keys: keys, file: url)
        #expect(restarted.votes == [prevote, precommit])
        restarted.persist(PersistentConsensusState(height: 6))
        try restarted.flush()
        #expect(try PrivateValidator(keys: keys, file: url).votes.isEmpty)
    }

    /// A version 2 file (before the votes were kept) still loads, with no votes to re-send.
    @Test func recordWithoutVotesStillLoads() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        let state = PersistentConsensusState(height: 5, round: 1, step: .precommit)
        var old = CanonicalEncoder()
        old.write(UInt8(2))
        old.write(optional: state)
        old.write(array: [PrivateValidator.SignedStep(type: .prevote, height: 5, round: 1, blockHash: nil)])
        old.write(array: [PrivateValidator.SignedStep]())
        try Data(old.bytes).write(to: url)
        var signer = try PrivateValidator(keys: keys, file: url)
        #expect(signer.consensusState == state)
        #expect(signer.votes.isEmpty)
        #expect(try signer.sign(vote(.prevote, round: 1, "a")) == nil, "what was signed before is remembered")
    }

    /// The valid value's block survives a restart (so it can be re-proposed); a damaged file
    /// is ignored rather than trapping, since it only helps liveness.
    @Test func validBlockIsKeptAndADamagedFileIgnored() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        try await net.seal()
        let block = await net.node.buildNextBlock().block
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var kept = ValidBlockFile(url: url)
        #expect(kept.block == nil)
        try kept.keep(block)
        #expect(ValidBlockFile(url: url).block == block)
        try Data([9, 9, 9]).write(to: url)
        #expect(ValidBlockFile(url: url).block == nil)
        // Damaged in the slot layout (neither slot intact): ignored too, and written afresh.
        try Data(Array("MLSLOTS1".utf8) + [UInt8](repeating: 0xEE, count: 40)).write(to: url)
        var damaged = ValidBlockFile(url: url)
        #expect(damaged.block == nil)
        try damaged.keep(block)
        #expect(ValidBlockFile(url: url).block == block)
    }

    /// A record written before the slots (the whole file, version 3) is read, and the next
    /// write puts it in the slot layout without forgetting what was signed.
    @Test func aRecordFromBeforeTheSlotsIsReadAndRewrittenInThem() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        let state = PersistentConsensusState(height: 5, round: 0, step: .prevote)
        var old = CanonicalEncoder()
        old.write(PrivateValidator.formatVersion)
        old.write(optional: state)
        old.write(array: [PrivateValidator.SignedStep(type: .prevote, height: 5, round: 0, blockHash: nil)])
        old.write(array: [PrivateValidator.SignedStep]())
        old.write(array: [SignedVote]())
        try Data(old.bytes).write(to: url)
        var signer = try PrivateValidator(keys: keys, file: url)
        #expect(signer.consensusState == state)
        #expect(try signer.sign(vote(.precommit, round: 0, nil)) != nil)
        #expect(try Data(contentsOf: url).prefix(8) == Data("MLSLOTS1".utf8))
        var restarted = try PrivateValidator(keys: keys, file: url)
        #expect(try restarted.sign(vote(.prevote, round: 0, "a")) == nil, "the old record's step is remembered")
        #expect(try restarted.sign(vote(.precommit, round: 0, "b")) == nil, "so is the new one")
    }

    @Test func damagedRecordIsAnErrorNotAFreshStart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: NodeError.self) { _ = try PrivateValidator(keys: keys, file: url) }
    }
}
