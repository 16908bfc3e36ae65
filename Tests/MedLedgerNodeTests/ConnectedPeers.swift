import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerTesting
import Testing

/// Two validators' peer networks connected over real sockets on 127.0.0.1, by key index.
enum ConnectedPeers {
    /// Port 0 everywhere: the lower id dials, so the higher one starts first and the lower
    /// one is told where it listens. Returns the networks of `keys[0]` and `keys[1]`.
    static func connect(genesis: Genesis, keys: [IdentityKeys]) async throws -> (PeerNetwork, PeerNetwork) {
        precondition(keys.count == 2, "a pair")
        func network(_ index: Int, peers: [(id: IdentityID, host: String, port: Int)]) -> PeerNetwork {
            PeerNetwork(
                chainID: genesis.chainID, genesisHash: genesis.hash, validators: genesis.validatorSet,
                keys: keys[index], host: "127.0.0.1", port: 0, peers: peers, logger: Logger(label: "p2p\(index)"))
        }
        let (low, high) = keys[0].identityID < keys[1].identityID ? (0, 1) : (1, 0)
        let listener = network(high, peers: [])
        try await listener.start()
        let port = try #require(listener.localPort)
        let dialer = network(low, peers: [(id: keys[high].identityID, host: "127.0.0.1", port: port)])
        try await dialer.start()
        let (first, second) = low == 0 ? (dialer, listener) : (listener, dialer)
        _ = await eventually { !first.connectedPeers.isEmpty && !second.connectedPeers.isEmpty }
        #expect(first.connectedPeers == [keys[1].identityID], "the peers never connected")
        return (first, second)
    }
}
