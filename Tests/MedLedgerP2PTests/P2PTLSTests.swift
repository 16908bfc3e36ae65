import MedLedgerCore
@testable import MedLedgerP2P
import MedLedgerTesting
import NIOCore
import NIOPosix
import NIOSSL
import Testing

/// Peer links are mutual TLS 1.3 bound to the genesis keys, over real loopback sockets: what
/// gets in, and what is refused (each refusal logged with its reason and counted).
@Suite("P2P TLS over loopback", .serialized)
struct P2PTLSTests {
    @Test func validatorsLinkOverTLS13AndExchangeMessages() async throws {
        let cluster = try P2PCluster.make(count: 2)
        let inbox = P2PInbox(cluster.nodes[1])
        try await cluster.startAll()
        #expect(await eventually { cluster.fullyConnected() })
        let channel = try #require(cluster.nodes[0].registry.channel(for: cluster.id(1)))
        #expect(try await channel.nioSSL_tlsVersion().get() == .tlsv13)
        let certificate = try #require(try await channel.nioSSL_peerCertificate().get())
        #expect(try PeerCertificate.signingKey(der: certificate.toDERBytes()).get() == cluster.keys[1].publicSigningKey)
        #expect(cluster.nodes[0].send(.vote(P2PFixtures.vote(cluster.keys[0])), to: cluster.id(1)))
        #expect(await eventually { inbox.messages.contains { $0.0 == cluster.id(0) } })
        await cluster.stopAll()
    }

    /// A stranger with a well-formed certificate for its own key: TLS-level refusal, logged
    /// with the reason, counted.
    @Test func certificateForAKeyOutsideTheGenesisIsRefused() async throws {
        let cluster = try P2PCluster.make(count: 2)
        try await cluster.nodes[1].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let stranger = IdentityKeys.deterministic(seed: "p2p-tls-stranger")
        let raw = try await P2PRawTLS.connect(
            port: cluster.ports[1], group: group, configuration: P2PRawTLS.validator(stranger))
        #expect(await eventually(timeout: .seconds(3)) { !raw.isActive })
        // The socket can close before the node has logged and counted the refusal: wait for both.
        #expect(
            await eventually(timeout: .seconds(3)) {
                cluster.logs[1].contains(
                    "refused certificate: certificate key \(stranger.identityID) is not a validator")
            })
        #expect(await eventually(timeout: .seconds(3)) { cluster.nodes[1].refusals >= 1 })
        #expect(cluster.nodes[1].connectedPeers.isEmpty)
        await cluster.stopAll()
        try await group.shutdownGracefully()
    }

    /// Validator 0's certificate is public; without its private key the CertificateVerify
    /// signature does not verify, and TLS refuses before the certificate is worth anything.
    @Test func genuineCertificateWithoutItsPrivateKeyCannotLink() async throws {
        let cluster = try P2PCluster.make(count: 2)
        try await cluster.nodes[1].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let configuration = try P2PRawTLS.configuration(
            certificatePEM: PeerCertificate.makePEM(keys: cluster.keys[0]),
            key: NIOSSLPrivateKey(customPrivateKey: P2PImpostorKey(seed: "p2p-tls-impostor")))
        let raw = try await P2PRawTLS.connect(port: cluster.ports[1], group: group, configuration: configuration)
        #expect(await eventually(timeout: .seconds(3)) { !raw.isActive })
        // BoringSSL names the CertificateVerify check that failed.
        #expect(await eventually(timeout: .seconds(2)) { cluster.logs[1].contains("TLS handshake failed") })
        #expect(cluster.logs[1].contains("BAD_SIGNATURE"))
        #expect(!cluster.logs[1].contains("authenticated \(cluster.id(0))"))
        #expect(cluster.nodes[1].connectedPeers.isEmpty)
        #expect(cluster.nodes[1].refusals >= 1)
        await cluster.stopAll()
        try await group.shutdownGracefully()
    }

    /// Even a genuine validator certificate and key is refused over TLS 1.2: no downgrade.
    @Test func tls12OnlyClientIsRefused() async throws {
        let cluster = try P2PCluster.make(count: 2)
        try await cluster.nodes[1].start()
        let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        let raw = try await P2PRawTLS.connect(
            port: cluster.ports[1], group: group,
            configuration: P2PRawTLS.validator(cluster.keys[0], maximumVersion: .tlsv12))
        #expect(await eventually(timeout: .seconds(3)) { !raw.isActive })
        #expect(await eventually(timeout: .seconds(2)) { cluster.logs[1].contains("TLS handshake failed") })
        #expect(cluster.logs[1].contains("UNSUPPORTED_PROTOCOL"))
        #expect(cluster.nodes[1].connectedPeers.isEmpty)
        #expect(cluster.nodes[1].refusals >= 1)
        await cluster.stopAll()
        try await group.shutdownGracefully()
    }

    /// The dialer checks the listener too: a node at the configured address that is another
    /// validator than the one configured is refused by the dialer.
    @Test func dialerRefusesAListenerThatIsNotTheValidatorItDialed() async throws {
        let cluster = try P2PCluster.make(count: 3)
        // Node 0 believes node 1 listens where node 2 does.
        let misconfigured = PeerNetwork(
            chainID: cluster.genesis.chainID, genesisHash: cluster.genesis.hash,
            validators: cluster.genesis.validatorSet, keys: cluster.keys[0], host: "127.0.0.1", port: 0,
            peers: [(id: cluster.id(1), host: "127.0.0.1", port: cluster.ports[2])],
            logger: cluster.logs[0].logger(label: "node0"))
        try await cluster.nodes[2].start()
        try await misconfigured.start()
        #expect(
            await eventually { cluster.logs[0].contains("dialed \(cluster.id(1)) but the peer is \(cluster.id(2))") })
        #expect(misconfigured.connectedPeers.isEmpty)
        await misconfigured.stop()
        await cluster.nodes[2].stop()
    }
}
