import Foundation
import Logging
import MedLedgerCore
import MedLedgerStorage
import MedLedgerP2P
import MedLedgerConsensus

/// Starts whatever makes blocks for a node: the block producer for a single validator, or
/// peer-to-peer plus the Tendermint driver for a network of several.
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

    /// Starts block production; returns the task to cancel on shutdown.
    /// - Parameter p2p: HOST:PORT to listen on (default: network.json's).
    public static func start(node: LedgerNode, directory: DataDirectory, p2p: String?, logger: Logger) async throws
        -> Task<Void, Never> {
        guard node.validators.validators.count > 1 else {
            return Task { await node.runProducer() }
        }
        guard let config = try NetworkConfig.load(directory) else {
            throw NodeError(.invalid, field: "network.json",
                            "a multi-validator node needs \(directory.networkFile.path) (made by `testnet init`)")
        }
        let listen = try parseAddress(p2p ?? config.p2p, field: "p2p")
        let peers = try config.peers.map { peer -> (IdentityID, String, Int) in
            let address = try parseAddress(peer.address, field: "peers.address")
            return (peer.id, address.host, address.port)
        }
        let network = PeerNetwork(chainID: node.genesis.chainID, genesisHash: node.genesis.hash, validators: node.validators,
                                  keys: await node.keysForConsensus, host: listen.host, port: listen.port, peers: peers,
                                  logger: logger)
        try await network.start()
        // One stream of driver events: peer messages, and the clock's timeouts and ticks.
        let (events, continuation) = AsyncStream<ConsensusDriverEvent>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        let clock = SystemConsensusClock { continuation.yield($0) }
        let driver = try await ConsensusDriver(node: node, transport: network, clock: clock, dataDirectory: directory,
                                               timeouts: timeouts(for: node.configuration), logger: logger)
        await node.attachGossip(network)
        let inbound = network.inbound
        return Task {
            let forwarder = Task {
                for await (peer, message) in inbound { continuation.yield(.message(from: peer, message)) }
            }
            defer { forwarder.cancel() }
            await withTaskCancellationHandler {
                await driver.run(events: events)
            } onCancel: {
                continuation.finish()
                Task { await network.stop() }
            }
        }
    }

    static func parseAddress(_ text: String, field: String) throws -> (host: String, port: Int) {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
              (1...65_535).contains(port), colon != text.startIndex else {
            throw NodeError(.invalid, field: field, "must be HOST:PORT, got \(text)")
        }
        return (String(text[..<colon]), port)
    }
}
