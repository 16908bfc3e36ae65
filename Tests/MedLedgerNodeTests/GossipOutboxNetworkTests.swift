import Foundation
import MedLedgerCore
import MedLedgerP2P
import MedLedgerStorage
import MedLedgerTesting
import Testing

@testable import MedLedgerNode

/// The node's gossip of submitted transactions over a real peer link: the first goes at once,
/// the ones submitted within the window follow together when its timer fires.
@Suite(.serialized) struct GossipOutboxNetworkTests {
    @Test func transactionsSubmittedWithinTheWindowReachThePeerAsOneMessage() async throws {
        let keys = [IdentityKeys.deterministic(seed: "gossip-a"), .deterministic(seed: "gossip-b")]
        let genesis = Genesis(
            chainID: "gossip-test", genesisTime: ConsensusTime(milliseconds: 1_795_000_000_000),
            validators: TestValidators.from(keys),
            organizations: [])
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-gossip-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        try DataDirectory(url).initialize(genesis: genesis, nodeKeys: KeyFile(label: "a", keys: keys[0]))
        // A long window, so the submissions below surely fall inside it on a loaded machine.
        let node = try LedgerNode(
            dataDirectory: DataDirectory(url), configuration: NodeConfiguration(gossipWindowMilliseconds: 400))
        let (ours, peer) = try await ConnectedPeers.connect(genesis: genesis, keys: keys)
        defer {
            Task {
                await ours.stop()
                await peer.stop()
            }
        }
        await node.attachGossip(ours)

        let received = Task { () -> [[Hash256]] in
            var messages = [[Hash256]]()
            for await (_, message) in peer.inbound {
                guard case .transactions(let list) = message else { continue }
                messages.append(list.map(\.hash))
                if messages.joined().count >= 3 { break }
            }
            return messages
        }
        let transactions = GossipOutboxTests.registrations(3)
        let start = ContinuousClock.now
        for tx in transactions { _ = try await node.submit(tx) }
        let timeout = Task {
            try? await Task.sleep(for: .seconds(10))
            received.cancel()
        }
        let messages = await received.value
        timeout.cancel()
        let hashes = transactions.map(\.hash)
        #expect(messages == [[hashes[0]], [hashes[1], hashes[2]]])
        #expect(ContinuousClock.now - start >= .milliseconds(400), "the second message waited for the window")
    }
}
