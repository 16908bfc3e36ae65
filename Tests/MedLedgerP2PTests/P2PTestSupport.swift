import Foundation
import Logging
import MedLedgerConsensus
import MedLedgerCore
@testable import MedLedgerP2P
import NIOCore
import NIOPosix
import NIOSSL
import MedLedgerTesting

/// Three validators with deterministic keys on loopback, each a `PeerNetwork` with the
/// others as peers, plus a log capture per node.
struct P2PCluster {
    static let chainID = "medledger-p2p-test"

    let keys: [IdentityKeys]
    let genesis: Genesis
    let ports: [Int]
    var nodes: [PeerNetwork]
    let logs: [P2PLogCapture]
    let inboundCapacity: Int

    /// Keys sorted by id, so node 0 dials 1 and 2, node 1 dials 2, node 2 dials nobody.
    static func make(
        count: Int = 3, seedPrefix: String = "p2p-node",
        inboundCapacity: Int = PeerNetwork.defaultInboundCapacity
    ) throws -> P2PCluster {
        let keys = (0..<count).map { IdentityKeys.deterministic(seed: "\(seedPrefix)-\($0)") }
            .sorted { $0.identityID < $1.identityID }
        let genesis = genesis(validators: keys)
        let base = try TestPorts.block(count)
        let ports = Array(base..<(base + count))
        let logs = (0..<count).map { _ in P2PLogCapture() }
        var cluster = P2PCluster(
            keys: keys, genesis: genesis, ports: ports, nodes: [], logs: logs,
            inboundCapacity: inboundCapacity)
        cluster.nodes = (0..<count).map { cluster.makeNode($0) }
        return cluster
    }

    static func genesis(validators: [IdentityKeys], chainID: String = chainID) -> Genesis {
        Genesis(
            chainID: chainID, genesisTime: ConsensusTime(milliseconds: 1_795_000_000_000),
            validators: TestValidators.from(validators),
            organizations: [])
    }

    var addresses: [(id: IdentityID, host: String, port: Int)] {
        keys.indices.map { (id: keys[$0].identityID, host: "127.0.0.1", port: ports[$0]) }
    }

    /// A fresh network for node `index` (used again to "restart" a node).
    func makeNode(_ index: Int) -> PeerNetwork {
        PeerNetwork(
            chainID: genesis.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet,
            keys: keys[index], host: "127.0.0.1", port: ports[index], peers: addresses,
            inboundCapacity: inboundCapacity, logger: logs[index].logger(label: "node\(index)"))
    }

    func id(_ index: Int) -> IdentityID { keys[index].identityID }

    func others(_ index: Int) -> [IdentityID] { keys.indices.filter { $0 != index }.map(id) }

    /// Highest id first: each node's dialer then finds the peers it dials already listening,
    /// instead of backing off while they start (slow when the test runner is busy).
    func startAll() async throws { for node in nodes.reversed() { try await node.start() } }

    func stopAll() async { for node in nodes { await node.stop() } }

    /// True once every node is authenticated to every other.
    func fullyConnected() -> Bool {
        nodes.indices.allSatisfy { nodes[$0].connectedPeers == others($0).sorted() }
    }
}

/// Drains a node's `inbound` into an array the test can poll.
final class P2PInbox: Sendable {
    private let box = P2PLockedBox<[(IdentityID, PeerMessage)]>([])
    private let task: Task<Void, Never>

    init(_ network: PeerNetwork) {
        let box = box
        task = Task { for await item in network.inbound { box.withLock { $0.append(item) } } }
    }

    var messages: [(IdentityID, PeerMessage)] { box.current }

    deinit { task.cancel() }
}

/// A swift-log handler that keeps every message, for asserting that refusals are logged.
final class P2PLogCapture: Sendable {
    private let lines = P2PLockedBox<[String]>([])

    func logger(label: String) -> Logger {
        let lines = lines
        return Logger(label: label) { _ in Handler(lines: lines) }
    }

    var all: [String] { lines.current }

    func contains(_ text: String) -> Bool { all.contains { $0.contains(text) } }

    struct Handler: LogHandler {
        let lines: P2PLockedBox<[String]>
        var metadata: Logger.Metadata = [:]
        var logLevel: Logger.Level = .debug
        subscript(metadataKey key: String) -> Logger.Metadata.Value? {
            get { metadata[key] }
            set { metadata[key] = newValue }
        }
        func log(event: LogEvent) {
            lines.withLock { $0.append("\(event.level): \(event.message)") }
        }
    }
}

/// Messages used by the tests.
enum P2PFixtures {
    static func vote(_ keys: IdentityKeys, height: Height = 1) -> SignedVote {
        SignedVote(
            vote: Vote(
                type: .prevote, chainID: P2PCluster.chainID, height: height, round: 0,
                blockHash: Hash256.of([1, 2, 3]), time: ConsensusTime(milliseconds: 42)),
            keys: keys)
    }

    static func transaction(_ keys: IdentityKeys, nonce: Nonce = 1) -> Transaction {
        Transaction(
            chainID: P2PCluster.chainID, signer: keys.identityID, keys: keys, nonce: nonce,
            payload: .revokeGrant(RevokeGrant(grant: GrantID(bytes: Array(repeating: 7, count: 16))!)))
    }
}

/// A bare TLS client on a peer port, to play a peer that does not run `PeerNetwork`: the TLS
/// configuration, certificate and private key are the test's to choose.
enum P2PRawTLS {
    /// Connects and starts the handshake; the channel closes when the server refuses.
    static func connect(
        port: Int, group: MultiThreadedEventLoopGroup, configuration: TLSConfiguration
    ) async throws -> any Channel {
        let context = try NIOSSLContext(configuration: configuration)
        return try await ClientBootstrap(group: group)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    let handler = try NIOSSLClientHandler(
                        context: context, serverHostname: nil,
                        customVerificationCallback: { _, promise in promise.succeed(.certificateVerified) })
                    try channel.pipeline.syncOperations.addHandler(handler)
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// A peer-link client configuration presenting `certificatePEM` with `key`.
    static func configuration(
        certificatePEM: String, key: NIOSSLPrivateKey, maximumVersion: TLSVersion = .tlsv13
    ) throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeClientConfiguration()
        configuration.certificateChain = [
            .certificate(try NIOSSLCertificate(bytes: Array(certificatePEM.utf8), format: .pem))
        ]
        configuration.privateKey = .privateKey(key)
        configuration.minimumTLSVersion = .tlsv1
        configuration.maximumTLSVersion = maximumVersion
        configuration.certificateVerification = .none
        configuration.signingSignatureAlgorithms = [.ed25519]
        configuration.verifySignatureAlgorithms = [.ed25519]
        return configuration
    }

    /// A validator's genuine certificate and key.
    static func validator(_ keys: IdentityKeys, maximumVersion: TLSVersion = .tlsv13) throws -> TLSConfiguration {
        try configuration(
            certificatePEM: PeerCertificate.makePEM(keys: keys),
            key: NIOSSLPrivateKey(bytes: PeerCertificate.privateKeyDER(keys: keys), format: .der),
            maximumVersion: maximumVersion)
    }
}

/// A private key that signs with a key other than its certificate's: what someone who copied
/// a validator's certificate (it is public) but not its key can do at best.
struct P2PImpostorKey: NIOSSLCustomPrivateKey, Hashable {
    let seed: String

    var signatureAlgorithms: [SignatureAlgorithm] { [.ed25519] }

    func sign(channel: any Channel, algorithm: SignatureAlgorithm, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        let signer = IdentityKeys.deterministic(seed: seed)
        return channel.eventLoop.makeSucceededFuture(
            ByteBuffer(bytes: signer.sign(Array(data.readableBytesView)).rawBytes))
    }

    func decrypt(channel: any Channel, data: ByteBuffer) -> EventLoopFuture<ByteBuffer> {
        channel.eventLoop.makeFailedFuture(PeerNetworkError("an Ed25519 key does not decrypt"))
    }
}
