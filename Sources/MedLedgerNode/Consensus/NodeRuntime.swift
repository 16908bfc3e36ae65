import Foundation
import Logging
import MedLedgerCore
import MedLedgerStorage
import MedLedgerP2P
import MedLedgerConsensus
import ServiceLifecycle

/// Whatever makes blocks for a node, as services: the block producer for a single validator,
/// or peer-to-peer plus the Tendermint driver for a network of several.
public enum NodeRuntime {
    /// Timeouts for a network: the proposer waits up to the empty-block interval for
    /// transactions, so the others' propose timeout must comfortably exceed it.
    public static func timeouts(for configuration: NodeConfiguration) -> TimeoutConfig {
        var timeouts = TimeoutConfig()
        timeouts.proposeBaseMilliseconds = configuration.emptyBlockIntervalMilliseconds + 2_000
        timeouts.proposeDeltaMilliseconds = 1_000
        timeouts.voteBaseMilliseconds = 1_000
        timeouts.voteDeltaMilliseconds = 500
        return timeouts
    }

    /// The services that make blocks, to run in a `ServiceGroup` beside the HTTP server: the
    /// block producer for a single validator; else the peer network (already listening and
    /// dialing when this returns) and the consensus driver. In that order, so a graceful
    /// shutdown (which goes in reverse) stops consensus before it closes the network.
    ///
    /// Each returning on its own (a node that halted) leaves the others running, so a halted
    /// node still serves reads; one that throws shuts the group down.
    /// - Parameter p2p: HOST:PORT to listen on (default: network.json's).
    public static func services(node: LedgerNode, directory: DataDirectory, p2p: String?, logger: Logger) async throws
        -> [ServiceGroupConfiguration.ServiceConfiguration]
    {
        guard node.validators.validators.count > 1 else {
            return [configuration(BlockProducerService(node: node), name: "block producer")]
        }
        guard let config = try NetworkConfig.load(directory) else {
            throw NodeError(
                .invalid, field: "network.json",
                "a multi-validator node needs \(directory.networkFile.path) (made by `testnet init`)")
        }
        let listen = try parseAddress(p2p ?? config.p2p, field: "p2p")
        let peers = try config.peers.map { peer -> (IdentityID, String, Int) in
            let address = try parseAddress(peer.address, field: "peers.address")
            return (peer.id, address.host, address.port)
        }
        let keys = await node.keysForConsensus
        let network = PeerNetwork(
            chainID: node.genesis.chainID, genesisHash: node.genesis.hash, validators: node.validators,
            keys: keys, host: listen.host, port: listen.port, peers: peers,
            certificatePEM: try directory.loadPeerCertificate(keys: keys, logger: logger), logger: logger)
        try await network.start()
        let (events, continuation) = AsyncStream<ConsensusDriverEvent>.makeStream(
            bufferingPolicy: .bufferingNewest(100_000))
        let clock = SystemConsensusClock { continuation.yield($0) }
        let driver: ConsensusDriver<PeerNetwork, SystemConsensusClock>
        do {
            driver = try await ConsensusDriver(
                node: node, transport: network, clock: clock, dataDirectory: directory,
                timeouts: timeouts(for: node.configuration), logger: logger)
        } catch {
            await network.stop()
            throw error
        }
        await node.attachGossip(network)
        let replicator = await BlobReplicator(node: node, network: network, logger: logger)
        await node.attachReplicator(replicator)
        let consensus = ConsensusService(
            driver: driver, events: events, continuation: continuation,
            inbound: network.inbound)
        return [
            configuration(PeerNetworkService(network: network, metrics: node.metrics), name: "peer network"),
            configuration(consensus, name: "consensus"),
            configuration(BlobReplicationService(replicator: replicator, inbound: network.blobInbound), name: "blobs"),
        ]
    }

    /// Starts block production outside a `ServiceGroup` of the caller's (the demo runs several
    /// nodes in one process); returns the task to cancel on shutdown. The task ends once every
    /// service has stopped and the network is closed.
    public static func start(node: LedgerNode, directory: DataDirectory, p2p: String?, logger: Logger) async throws
        -> Task<Void, Never>
    {
        let services = try await self.services(node: node, directory: directory, p2p: p2p, logger: logger)
        let group = ServiceGroup(configuration: ServiceGroupConfiguration(services: services, logger: logger))
        return Task {
            do { try await group.run() } catch { logger.error("node services stopped: \(error)") }
        }
    }

    private static func configuration(_ service: any Service, name: String)
        -> ServiceGroupConfiguration.ServiceConfiguration
    {
        .init(
            service: service, successTerminationBehavior: .ignore, failureTerminationBehavior: .gracefullyShutdownGroup,
            serviceName: name)
    }

    static func parseAddress(_ text: String, field: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), colon != text.startIndex
        else {
            throw NodeError(.invalid, field: field, "must be HOST:PORT, got \(text)")
        }
        return (String(text[..<colon]), port)
    }
}
