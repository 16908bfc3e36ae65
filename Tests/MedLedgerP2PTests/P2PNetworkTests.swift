import MedLedgerConsensus
import MedLedgerAPIModel
import MedLedgerCore
@testable import MedLedgerP2P
import MedLedgerTesting
import NIOCore
import Testing

/// Real loopback sockets. Serialized so the 2-core CI machine is not asked to run several
/// clusters at once; every wait has a deadline.
@Suite("P2P network over loopback", .serialized)
struct P2PNetworkTests {
    @Test func threeValidatorsConnectAndAuthenticate() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.startAll()
        let connected = await eventually { cluster.fullyConnected() }
        await cluster.stopAll()
        #expect(connected)
        #expect(cluster.nodes.allSatisfy { $0.connectedPeers.isEmpty })
        #expect(cluster.logs[0].contains("authenticated \(cluster.id(1))"))
    }

    @Test func broadcastReachesEachPeerExactlyOnce() async throws {
        let cluster = try P2PCluster.make()
        let inboxes = cluster.nodes.map(P2PInbox.init)
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        let vote = P2PFixtures.vote(cluster.keys[0])
        let transaction = P2PFixtures.transaction(cluster.keys[0])
        #expect(cluster.nodes[0].broadcast(.vote(vote)) == 2)
        #expect(cluster.nodes[0].broadcast(.transaction(transaction)) == 2)
        #expect(await eventually { inboxes[1].messages.count >= 2 && inboxes[2].messages.count >= 2 })
        try await Task.sleep(for: .milliseconds(200))  // room for a duplicate to show up
        for inbox in inboxes[1...] {
            let messages = inbox.messages
            #expect(messages.count == 2)
            #expect(messages.allSatisfy { $0.0 == cluster.id(0) })
            if case .vote(let received) = messages.first?.1 {
                #expect(received == vote)
            } else {
                Issue.record("no vote")
            }
            if case .transaction(let received) = messages.last?.1 {
                #expect(received.hash == transaction.hash)
            } else {
                Issue.record("no transaction")
            }
        }
        #expect(inboxes[0].messages.isEmpty)
        // Point-to-point send, and pings answered by the network layer itself.
        #expect(cluster.nodes[2].send(.ping(77), to: cluster.id(1)))
        #expect(
            await eventually {
                inboxes[2].messages.contains {
                    $0.0 == cluster.id(1) && $0.1.canonicalBytes == PeerMessage.pong(77).canonicalBytes
                }
            })
        #expect(!cluster.nodes[2].send(.statusRequest, to: IdentityKeys.deterministic(seed: "nobody").identityID))
        await cluster.stopAll()
    }

    @Test func stoppedNodeIsReconnectedAfterRestart() async throws {
        var cluster = try P2PCluster.make()
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        // Node 2 has the highest id: nodes 0 and 1 dial it, so they must redial with back-off.
        await cluster.nodes[2].stop()
        #expect(
            await eventually {
                cluster.nodes[0].connectedPeers == [cluster.id(1)] && cluster.nodes[1].connectedPeers == [cluster.id(0)]
            })
        try await Task.sleep(for: .milliseconds(700))  // let the back-off grow past its first steps
        cluster.nodes[2] = cluster.makeNode(2)
        try await cluster.nodes[2].start()
        let reconnected = await eventually { cluster.fullyConnected() }
        await cluster.stopAll()
        #expect(reconnected)
        #expect(cluster.logs[0].contains("reconnecting to \(cluster.id(2))"))
        #expect(cluster.logs[1].contains("cannot connect to \(cluster.id(2))"))
    }

    @Test func fullInboundBufferDropsTheOldestAndLogs() async throws {
        let cluster = try P2PCluster.make(count: 2, inboundCapacity: 2)
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        for height in (UInt64(1)...5).map(Height.init(rawValue:)) {
            cluster.nodes[0].send(.status(height: height, latestBlockHash: .zero), to: cluster.id(1))
        }
        #expect(await eventually { cluster.logs[1].all.filter { $0.contains("dropped oldest") }.count == 3 })
        let inbox = P2PInbox(cluster.nodes[1])  // drains what the buffer kept
        #expect(await eventually { inbox.messages.count == 2 })
        let heights = inbox.messages.compactMap { item -> Height? in
            if case .status(let height, _) = item.1 { return height } else { return nil }
        }
        #expect(heights == [4, 5])
        await cluster.stopAll()
    }

    /// Issue 6.13: a peer that stops reading gets nothing more once its queue is full, so it
    /// cannot make us buffer without bound.
    @Test func peerThatStopsReadingIsNotBufferedWithoutBound() async throws {
        let cluster = try P2PCluster.make(count: 2)
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        // Node 1 stops reading its connection from node 0.
        let channel = try #require(cluster.nodes[1].registry.channel(for: cluster.id(0)))
        try await channel.setOption(.autoRead, value: false).get()
        let patient = ClientIdentity(label: "p", keys: cluster.keys[0])
        let big = (0..<20).map { index in
            Transaction(
                chainID: P2PCluster.chainID, signer: patient.id, keys: patient.keys, nonce: Nonce(UInt64(index + 1)),
                payload: LargePayloads.submission(by: patient, index: index))
        }
        var sent = 0
        var dropped = 0
        for _ in 0..<200 {  // 200 × ~0.9 MB, far more than the 40 MiB high-water mark
            if cluster.nodes[0].send(.transactions(big), to: cluster.id(1)) { sent += 1 } else { dropped += 1 }
            if dropped > 0 { break }
            try await Task.sleep(for: .milliseconds(2))
        }
        #expect(dropped > 0, "sends never stopped for a peer that does not read")
        #expect(sent * 900_000 <= 200 * 1024 * 1024)
        await cluster.stopAll()
    }
}
