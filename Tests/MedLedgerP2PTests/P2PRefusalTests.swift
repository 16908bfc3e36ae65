import MedLedgerCore
@testable import MedLedgerP2P
import NIOCore
import NIOPosix
import MedLedgerTesting
import Testing

/// Connections that must be refused, over real loopback sockets; each refusal is logged
/// and leaves the listener serving others.
@Suite("P2P refusals over loopback", .serialized)
struct P2PRefusalTests {
    /// A network for `keys` that dials only `target`; its id must be lower than the target's
    /// (the dial rule), which the callers arrange.
    func intruder(
        _ keys: IdentityKeys, genesis: Genesis, cluster: P2PCluster, target: Int,
        log: P2PLogCapture
    ) -> PeerNetwork {
        #expect(keys.identityID < cluster.id(target))
        return PeerNetwork(
            chainID: genesis.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet,
            keys: keys, host: "127.0.0.1", port: 0, peers: [cluster.addresses[target]],
            logger: log.logger(label: "intruder"))
    }

    @Test func keyOutsideTheGenesisIsRefused() async throws {
        let cluster = try P2PCluster.make()
        // Deterministic stranger whose id sorts below the target's, so it dials.
        let stranger = (0..<64).lazy.map { IdentityKeys.deterministic(seed: "p2p-stranger-\($0)") }
            .first { $0.identityID < cluster.id(2) }!
        let log = P2PLogCapture()
        let rogue = intruder(stranger, genesis: cluster.genesis, cluster: cluster, target: 2, log: log)
        try await cluster.nodes[2].start()
        try await rogue.start()
        let refused = await eventually { cluster.logs[2].contains("is not a validator of the genesis") }
        #expect(refused)
        try await Task.sleep(for: .milliseconds(200))
        #expect(cluster.nodes[2].connectedPeers.isEmpty)
        #expect(rogue.connectedPeers.isEmpty)
        await rogue.stop()
        await cluster.nodes[2].stop()
    }

    @Test func wrongChainIDIsRefused() async throws {
        let cluster = try P2PCluster.make()
        // Validator 0's real key, but configured for another chain.
        let otherGenesis = P2PCluster.genesis(validators: cluster.keys, chainID: "other-chain")
        let log = P2PLogCapture()
        let confused = intruder(cluster.keys[0], genesis: otherGenesis, cluster: cluster, target: 2, log: log)
        try await cluster.nodes[2].start()
        try await confused.start()
        #expect(await eventually { cluster.logs[2].contains("wrong chain id other-chain") })
        try await Task.sleep(for: .milliseconds(200))
        #expect(cluster.nodes[2].connectedPeers.isEmpty)
        #expect(confused.connectedPeers.isEmpty)
        await confused.stop()
        await cluster.nodes[2].stop()
    }

    @Test func oversizedLengthPrefixClosesOnlyThatSocket() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.nodes[2].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        // Only a validator gets past TLS, so play validator 0 with a bare TLS client.
        let raw = try await P2PRawTLS.connect(
            port: cluster.ports[2], group: group, configuration: P2PRawTLS.validator(cluster.keys[0]))
        // Issue 6.6: before its hello is accepted a frame may hold no more than a hello needs,
        // so a 513-byte prefix is refused on the prefix alone, long before the deadline.
        try await raw.writeAndFlush(ByteBuffer(bytes: [0x00, 0x00, 0x02, 0x01]))
        let closed = await eventually(timeout: .seconds(2)) { !raw.isActive }
        #expect(closed)
        #expect(cluster.logs[2].contains("exceeds limit \(PeerFrame.maxHandshakePayloadBytes)"))
        // The listener still serves validators.
        try await cluster.nodes[0].start()
        #expect(await eventually { cluster.nodes[2].connectedPeers == [cluster.id(0)] })
        await cluster.stopAll()
        try? await raw.close()
        try await group.shutdownGracefully()
    }

    /// Bytes that are not TLS (the old cleartext protocol, a port scanner) end in a logged TLS failure.
    @Test func cleartextIsRefusedByTLS() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.nodes[2].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let raw = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: cluster.ports[2]).get()
        try await raw.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 40] + Array(repeating: 0xAB, count: 40)))
        #expect(await eventually(timeout: .seconds(2)) { !raw.isActive })
        #expect(cluster.logs[2].contains("TLS handshake failed"))
        #expect(cluster.nodes[2].refusals >= 1)
        await cluster.stopAll()
        try await group.shutdownGracefully()
    }

    @Test func garbageAfterHandshakeClosesOnlyThatConnection() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        // Write raw bytes on node 0's authenticated connection to node 1, under the framing:
        // a well-formed frame whose payload is no PeerMessage.
        let channel = try #require(cluster.nodes[0].registry.channel(for: cluster.id(1)))
        try await channel.writeAndFlush(ByteBuffer(bytes: [0, 0, 0, 3, 0xEE, 0xEE, 0xEE]))
        #expect(await eventually(timeout: .seconds(2)) { !channel.isActive })
        #expect(cluster.logs[1].contains("malformed message"))
        #expect(cluster.logs[1].contains("closing connection to \(cluster.id(0))"))
        // The other connections were untouched.
        #expect(cluster.nodes[1].connectedPeers.contains(cluster.id(2)))
        #expect(cluster.nodes[2].connectedPeers == [cluster.id(0), cluster.id(1)].sorted())
        // And node 0, the dialer, repairs its connection to node 1.
        let repaired = await eventually { cluster.fullyConnected() }
        await cluster.stopAll()
        #expect(repaired)
    }

    @Test func silentConnectionIsClosedAfterTheHandshakeTimeout() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.nodes[2].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let clock = ContinuousClock()
        let opened = clock.now
        let raw = try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: cluster.ports[2]).get()
        let closed = await eventually(timeout: .seconds(9)) { !raw.isActive }
        let elapsed = clock.now - opened
        #expect(closed)
        #expect(elapsed >= .milliseconds(4_500) && elapsed < .seconds(9))
        #expect(cluster.logs[2].contains("handshake timed out"))
        await cluster.nodes[2].stop()
        try await group.shutdownGracefully()
    }

    /// Issue 6.6: one address cannot hold more than a few connections in the handshake.
    @Test func halfOpenConnectionsPerAddressAreCapped() async throws {
        let cluster = try P2PCluster.make()
        try await cluster.nodes[2].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        var sockets = [any Channel]()
        for _ in 0..<(PeerRegistry.maxHalfOpenPerAddress + 3) {
            sockets.append(
                try await ClientBootstrap(group: group).connect(host: "127.0.0.1", port: cluster.ports[2]).get())
        }
        #expect(
            await eventually(timeout: .seconds(3)) { cluster.logs[2].contains("too many connections in the handshake") }
        )
        #expect(cluster.nodes[2].registry.halfOpenCount <= PeerRegistry.maxHalfOpenPerAddress)
        let closedByPeer = await eventually(timeout: .seconds(3)) { sockets.filter { !$0.isActive }.count >= 3 }
        #expect(closedByPeer)
        for socket in sockets { try? await socket.close() }
        // Once they are gone, a validator still gets in.
        try await cluster.nodes[0].start()
        #expect(await eventually { cluster.nodes[2].connectedPeers == [cluster.id(0)] })
        await cluster.stopAll()
        try await group.shutdownGracefully()
    }
}
