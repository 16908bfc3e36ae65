import Foundation
import Testing
import MedLedgerCore
import MedLedgerConsensus
@testable import MedLedgerNode

/// A validator restarted at any instant must not sign anything conflicting with what it
/// already signed: the record is on disk before the vote leaves.
@Suite struct PrivateValidatorTests {
    let keys = IdentityKeys.deterministic(seed: "validator")

    func file() -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("consensus-\(UUID().uuidString).bin")
    }

    func vote(_ type: VoteType, round: UInt32, _ seed: String?) -> Vote {
        Vote(type: type, chainID: "c", height: 5, round: round, blockHash: seed.map { Hash256.of(Array($0.utf8)) },
             time: ConsensusTime(milliseconds: 10))
    }

    @Test func conflictingVoteIsRefusedEvenAfterARestart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        var signer = try PrivateValidator(keys: keys, file: url)
        try signer.persist(PersistentConsensusState(height: 5, round: 0, step: .prevote))
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

    @Test func damagedRecordIsAnErrorNotAFreshStart() throws {
        let url = file()
        defer { try? FileManager.default.removeItem(at: url) }
        try Data([1, 2, 3]).write(to: url)
        #expect(throws: NodeError.self) { _ = try PrivateValidator(keys: keys, file: url) }
    }
}
