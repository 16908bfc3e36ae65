import Logging
import MedLedgerCore
import NIOCore
import NIOPosix

/// The validators' peer-to-peer network over TCP: mutual TLS 1.3 with certificates whose keys
/// are the validators' genesis keys (`PeerTLS`), then framed canonical `PeerMessage`s.
///
/// **Who dials whom.** A node dials exactly the configured peers whose `IdentityID` is
/// greater than its own and accepts inbound connections from any genesis validator. With
/// symmetric configuration every pair therefore has one connection, opened by the lower
/// id, and the dialer owns reconnection (exponential back-off 100 ms → 5 s, forever until
/// `stop`). Should a second authenticated connection from the same node arrive anyway, it
/// replaces the first.
///
/// **Inbound buffer.** `inbound` buffers at most `inboundCapacity` messages; when full the
/// oldest is dropped and a warning logged, so a slow consumer loses stale gossip instead of
/// growing memory without bound. Consensus must tolerate loss anyway (it re-sends on timeouts).
///
/// **Lifecycle.** `start` once, `stop` once; to restart, create a new `PeerNetwork`.
/// Messages are sent point-to-point: `broadcast` reaches directly connected peers once and
/// nothing is relayed.
public final class PeerNetwork: Sendable {
    /// Where a configured peer listens.
    public struct PeerAddress: Hashable, Sendable {
        public let id: IdentityID
        public let host: String
        public let port: Int
        public init(id: IdentityID, host: String, port: Int) {
            self.id = id
            self.host = host
            self.port = port
        }
    }

    /// How much may wait to be sent to one peer: past `high` the peer counts as not reading
    /// and gets nothing more until the queue drains below `low`. Room for two full blocks.
    static let writeBufferWaterMark = ChannelOptions.Types.WriteBufferWaterMark(
        low: 16 * 1024 * 1024,
        high: 40 * 1024 * 1024)

    /// Default bound of `inbound`.
    public static let defaultInboundCapacity = Limits.peerInboundQueueMax

    private struct Runtime: Sendable {
        var group: MultiThreadedEventLoopGroup?
        var server: (any Channel)?
        var dialers: [Task<Void, Never>] = []
        var started = false
        var stopped = false
    }

    /// Messages from authenticated peers, in arrival order per connection. Finishes on `stop`.
    public let inbound: AsyncStream<(IdentityID, PeerMessage)>
    /// Blob transfer messages (`PeerMessage.isBlobMessage`), at most
    /// `Limits.blobInboundQueueMax` waiting (oldest dropped: a fetch then times out and asks
    /// again or another peer). Finishes on `stop`.
    public let blobInbound: AsyncStream<(IdentityID, PeerMessage)>
    /// This node's id (the SHA-256 of its signing key).
    public let nodeID: IdentityID
    let identity: PeerIdentity
    let registry: PeerRegistry
    private let host: String
    private let port: Int
    private let peers: [PeerAddress]
    private let certificatePEM: String?
    private let runtime = P2PLockedBox(Runtime())

    /// - Parameters:
    ///   - host, port: where to listen (port 0 picks a free port; see `localPort`).
    ///   - peers: the other validators' addresses; entries for our own id are ignored.
    ///   - certificatePEM: this node's peer certificate (`PeerCertificate.makePEM`, kept in the
    ///     data directory); nil makes one in memory from `keys`.
    public init(
        chainID: String, genesisHash: Hash256, validators: ValidatorSet, keys: IdentityKeys,
        host: String, port: Int, peers: [(id: IdentityID, host: String, port: Int)],
        certificatePEM: String? = nil,
        inboundCapacity: Int = PeerNetwork.defaultInboundCapacity,
        logger: Logger = Logger(label: "medledger.p2p")
    ) {
        let (stream, continuation) = AsyncStream.makeStream(
            of: (IdentityID, PeerMessage).self,
            bufferingPolicy: .bufferingNewest(max(1, inboundCapacity)))
        inbound = stream
        let (blobStream, blobContinuation) = AsyncStream.makeStream(
            of: (IdentityID, PeerMessage).self, bufferingPolicy: .bufferingNewest(Limits.blobInboundQueueMax))
        blobInbound = blobStream
        identity = PeerIdentity(chainID: chainID, genesisHash: genesisHash, validators: validators, keys: keys)
        nodeID = keys.identityID
        registry = PeerRegistry(continuation: continuation, blobContinuation: blobContinuation, logger: logger)
        self.host = host
        self.port = port
        self.certificatePEM = certificatePEM
        self.peers = peers.map { PeerAddress(id: $0.id, host: $0.host, port: $0.port) }.filter {
            $0.id != keys.identityID
        }
    }

    /// Binds the listener and starts dialing the peers this node is responsible for.
    /// - Throws: `PeerNetworkError` when the certificate does not carry this node's key or TLS
    ///   cannot be set up, or the bind error.
    public func start() async throws {
        let tls = try PeerTLS(
            keys: identity.keys, certificatePEM: certificatePEM ?? PeerCertificate.makePEM(keys: identity.keys))
        let group = try runtime.withLock { state -> MultiThreadedEventLoopGroup in
            guard !state.started else { throw PeerNetworkError("start called twice") }
            state.started = true
            let group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
            state.group = group
            return group
        }
        let server: any Channel
        do {
            server = try await bind(group: group, tls: tls)
        } catch {
            // Leave no event-loop thread behind for a node that never ran.
            runtime.withLock { $0.group = nil }
            try? await group.shutdownGracefully()
            throw error
        }
        let dialers = peers.filter { nodeID < $0.id }.map { address in
            let dialer = PeerDialer(address: address, group: group, identity: identity, tls: tls, registry: registry)
            return Task { await dialer.run() }
        }
        let stoppedMeanwhile = runtime.withLock { state in
            state.server = server
            state.dialers = dialers
            return state.stopped
        }
        if stoppedMeanwhile { await stop() }
        registry.logger.info("p2p: \(nodeID) listening on \(server.localAddress.map { "\($0)" } ?? "?")")
    }

    /// SO_REUSEADDR so a restarted node can take its port back while old sockets linger in TIME_WAIT.
    private func bind(group: MultiThreadedEventLoopGroup, tls: PeerTLS) async throws -> any Channel {
        let identity = identity
        let registry = registry
        return try await ServerBootstrap(group: group)
            .serverChannelOption(.socketOption(.so_reuseaddr), value: 1)
            .childChannelOption(.socketOption(.tcp_nodelay), value: 1)
            .childChannelOption(.writeBufferWaterMark, value: PeerNetwork.writeBufferWaterMark)
            .childChannelInitializer { channel in
                PeerPipeline.configure(channel, identity: identity, tls: tls, registry: registry)
            }
            .bind(host: host, port: port).get()
    }

    /// Closes the listener and every connection, stops reconnecting and ends `inbound`.
    public func stop() async {
        let (group, server, dialers) = runtime.withLock { state in
            state.stopped = true
            defer {
                state.server = nil
                state.dialers = []
                state.group = nil
            }
            return (state.group, state.server, state.dialers)
        }
        for dialer in dialers { dialer.cancel() }
        try? await server?.close()
        for channel in registry.stop() { try? await channel.close() }
        for dialer in dialers { await dialer.value }
        try? await group?.shutdownGracefully()
        registry.finish()
    }

    /// The port actually bound (useful with port 0); nil before `start`.
    public var localPort: Int? { runtime.withLock { $0.server?.localAddress?.port } }

    /// Connections refused so far (certificate, TLS, hello, frame or message problems, the
    /// handshake deadline, too many half-open); each was logged with its reason.
    public var refusals: Int { registry.refusals }

    /// Authenticated peers, sorted by id.
    public var connectedPeers: [IdentityID] { registry.connectedPeers }

    /// Sends to one peer; false when it is not connected or the message exceeds the frame limit.
    @discardableResult
    public func send(_ message: PeerMessage, to peer: IdentityID) -> Bool {
        guard let frame = frame(message), let channel = registry.channel(for: peer) else { return false }
        return write(frame, to: channel, peer: peer, kind: message.kind)
    }

    /// Sends to every authenticated peer once; returns how many it was sent to.
    @discardableResult
    public func broadcast(_ message: PeerMessage) -> Int {
        guard let frame = frame(message) else { return 0 }
        let channels = registry.liveChannels
        return channels.filter { peer, channel in write(frame, to: channel, peer: peer, kind: message.kind) }.count
    }

    /// Writes unless the peer has stopped reading: a channel over its high-water mark (NIO's
    /// writability) gets nothing more, so a validator that never reads cannot make us buffer
    /// without bound. Consensus re-sends what matters once the peer reads again.
    private func write(_ frame: ByteBuffer, to channel: any Channel, peer: IdentityID, kind: String) -> Bool {
        guard channel.isWritable else {
            registry.logger.debug("p2p: \(peer) is not reading; dropped \(kind)")
            return false
        }
        channel.writeAndFlush(frame, promise: nil)
        return true
    }

    /// The message's payload; each connection's handler frames it and TLS encrypts it.
    private func frame(_ message: PeerMessage) -> ByteBuffer? {
        let payload = message.canonicalBytes
        guard payload.count <= PeerFrame.maxMessageBytes else {
            registry.logger.error("p2p: not sending \(message.kind): \(payload.count) bytes exceeds the frame limit")
            return nil
        }
        return ByteBuffer(bytes: payload)
    }
}

/// A misuse of `PeerNetwork` (for example starting it twice).
public struct PeerNetworkError: Error, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
