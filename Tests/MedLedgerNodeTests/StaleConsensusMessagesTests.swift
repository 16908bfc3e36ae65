import MedLedgerConsensus
import MedLedgerCore
import MedLedgerP2P
import MedLedgerTesting
import MetricsTestKit
import NIOConcurrencyHelpers
import Testing

@testable import MedLedgerNode

/// Proposals and votes for a height the validator has committed are dropped before their
/// signatures are checked (`ConsensusDriver.onVote`, `onProposal`): a peer replaying old
/// messages costs the node no Ed25519 work. What shows that no check ran: a forged message
/// for an old height is dropped without the bad-signature notice that the same forgery for
/// the current height gets.
@Suite struct StaleConsensusMessagesTests {
    /// Sends nothing anywhere; the driver under test only receives.
    struct Unconnected: ConsensusTransport {
        func broadcast(_ message: PeerMessage) -> Int { 0 }
        func send(_ message: PeerMessage, to peer: IdentityID) -> Bool { false }
    }

    /// A clock that stands still and never fires: the tests hand messages in by hand.
    struct StoppedClock: ConsensusClock {
        let time: ConsensusTime
        func now() -> ConsensusTime { time }
        func schedule(_ event: ConsensusDriverEvent, afterMilliseconds milliseconds: UInt64) {}
    }

    /// A node with two committed blocks, so the driver is at height 3, and the notices its
    /// driver gives.
    static func driverAtHeightThree(metrics: TestMetrics) async throws -> (
        ConsensusDriver<Unconnected, StoppedClock>, TestNode, NIOLockedValueBox<[ConsensusDriverNotice]>
    ) {
        let test = try TestNode.make(metrics: NodeMetrics(factory: metrics))
        for offset in [1_000, 2_000] as [UInt64] {
            _ = try await test.node.produceBlock(
                wallClock: ConsensusTime(milliseconds: test.genesisTime.milliseconds + offset))
        }
        let notices = NIOLockedValueBox<[ConsensusDriverNotice]>([])
        let driver = try await ConsensusDriver(
            node: test.node, transport: Unconnected(), clock: StoppedClock(time: test.genesisTime),
            dataDirectory: test.directory, logger: .silent,
            notify: { notice in notices.withLockedValue { $0.append(notice) } })
        #expect(await driver.currentHeight == 3)
        return (driver, test, notices)
    }

    /// The test node's only validator, whose messages the driver takes.
    static let validatorKeys = IdentityKeys.deterministic(seed: "node0")
    static let forger = IdentityKeys.generate()

    /// A prevote for `height` in the validator's name, signed by someone else.
    static func forgedVote(height: Height) -> SignedVote {
        let vote = Vote(
            type: .prevote, chainID: TestNode.chainID, height: height, round: 0, blockHash: Hash256.of([1]),
            time: ConsensusTime(milliseconds: 1))
        return SignedVote(vote: vote, validator: validatorKeys.identityID, signature: forger.sign(vote.canonicalBytes))
    }

    static func badSignatureNotices(_ notices: NIOLockedValueBox<[ConsensusDriverNotice]>) -> Int {
        count(notices) {
            if case .droppedBadSignature = $0 { return true }
            return false
        }
    }

    static func staleNotices(_ notices: NIOLockedValueBox<[ConsensusDriverNotice]>) -> Int {
        count(notices) {
            if case .droppedStale = $0 { return true }
            return false
        }
    }

    static func count(
        _ notices: NIOLockedValueBox<[ConsensusDriverNotice]>, where kind: (ConsensusDriverNotice) -> Bool
    ) -> Int {
        notices.withLockedValue { $0.count(where: kind) }
    }

    /// The node's count of dropped consensus messages for one reason.
    static func dropped(_ metrics: TestMetrics, _ reason: String) throws -> Int64 {
        try metrics.expectCounter(NodeMetrics.consensusDropsLabel, [("reason", reason)]).totalValue
    }

    @Test func aForgedVoteForACommittedHeightIsDroppedUnchecked() async throws {
        let metrics = TestMetrics()
        let (driver, test, notices) = try await Self.driverAtHeightThree(metrics: metrics)
        defer { test.remove() }
        let peer = Self.forger.identityID
        for height: Height in [1, 2] {
            await driver.handle(.vote(Self.forgedVote(height: height)), from: peer)
        }
        #expect(Self.badSignatureNotices(notices) == 0)
        #expect(Self.staleNotices(notices) == 2)
        // The same forgery for the current height is checked, and caught.
        await driver.handle(.vote(Self.forgedVote(height: 3)), from: peer)
        #expect(Self.badSignatureNotices(notices) == 1)
        #expect(try Self.dropped(metrics, "stale") == 2)
        #expect(try Self.dropped(metrics, "invalid") == 1)
    }

    @Test func aForgedProposalForACommittedHeightIsDroppedUnchecked() async throws {
        let metrics = TestMetrics()
        let (driver, test, notices) = try await Self.driverAtHeightThree(metrics: metrics)
        defer { test.remove() }
        let peer = Self.forger.identityID
        func forgedProposal(height: Height) async throws -> PeerMessage {
            // A block of the chain serves as the proposal's block: only the height matters.
            let block = try #require(try await test.node.block(at: 2)).block
            let bytes = Proposal.signingBytes(
                chainID: TestNode.chainID, height: height, round: 0, validRound: nil, blockHash: block.hash)
            let forged = Proposal(
                chainID: TestNode.chainID, height: height, round: 0, validRound: nil, blockHash: block.hash,
                proposer: Self.validatorKeys.identityID, signature: Self.forger.sign(bytes))
            return .proposal(forged, block)
        }
        await driver.handle(try await forgedProposal(height: 2), from: peer)
        #expect(Self.badSignatureNotices(notices) == 0)
        #expect(Self.staleNotices(notices) == 1)
        // The same forgery for the current height is checked, and caught.
        await driver.handle(try await forgedProposal(height: 3), from: peer)
        #expect(Self.badSignatureNotices(notices) == 1)
        #expect(try Self.dropped(metrics, "stale") == 1)
        #expect(try Self.dropped(metrics, "invalid") == 1)
    }
}
