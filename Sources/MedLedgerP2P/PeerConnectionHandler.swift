import Crypto
import Logging
import MedLedgerCore
import NIOCore

/// One connection's protocol: Hello, then Auth, then `PeerMessage`s, all as frame payloads
/// from `PeerFrameDecoder`. Runs only on its channel's event loop.
///
/// After the handshake every frame, both ways, is sealed by the connection's `PeerSession`:
/// outbound writes are plain message payloads (from `PeerNetwork`), which this handler seals
/// and frames; inbound frames are opened before they are decoded.
///
/// Anything unexpected (a bad frame, a refused hello, a bad signature, a frame that does not
/// open, a message that does not decode, the 5 s handshake deadline passing) closes the
/// connection with one log line naming the peer and the reason. Nothing a peer sends can trap.
final class PeerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a peer has to complete the handshake.
    static let handshakeTimeout = TimeAmount.seconds(5)

    private enum State {
        case awaitingHello
        case awaitingAuth(PeerHello, transcript: Hash256)
        case authenticated(IdentityID)
        case closing
    }

    private let identity: PeerIdentity
    private let registry: PeerRegistry
    private let expectedPeer: IdentityID?
    private let onAuthenticated: (@Sendable (IdentityID) -> Void)?
    private let ephemeral = Curve25519.KeyAgreement.PrivateKey()
    private lazy var ownHello = identity.hello(
        nonce: PeerHello.randomNonce(),
        ephemeralKey: PublicEncryptionKey(rawBytes: Array(ephemeral.publicKey.rawRepresentation))!)
    private var state = State.awaitingHello
    private var session: PeerSession?
    /// Kept apart from `state` so a connection closed after auth still leaves the registry.
    private var authenticatedPeer: IdentityID?
    private var timeout: Scheduled<Void>?
    private var remote = "unknown address"

    init(
        identity: PeerIdentity, registry: PeerRegistry, expectedPeer: IdentityID?,
        onAuthenticated: (@Sendable (IdentityID) -> Void)?
    ) {
        self.identity = identity
        self.registry = registry
        self.expectedPeer = expectedPeer
        self.onAuthenticated = onAuthenticated
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = context.remoteAddress.map { "\($0)" } ?? remote
        writePlain(ownHello.canonicalBytes, context: context)
        let channel = context.channel
        let logger = registry.logger
        let registry = registry
        let remote = remote
        timeout = context.eventLoop.scheduleTask(in: Self.handshakeTimeout) {
            logger.warning("p2p: closing connection to \(remote): handshake timed out")
            registry.recordRefusal()
            channel.close(promise: nil)
        }
        context.fireChannelActive()
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch state {
        case .awaitingHello: receiveHello(bytes, context: context)
        case .awaitingAuth(let hello, let transcript):
            receiveAuth(bytes, hello: hello, transcript: transcript, context: context)
        case .authenticated(let peer): receiveMessage(bytes, from: peer, context: context)
        case .closing: return
        }
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        refuse(context: context, reason: "\(error)")
    }

    func channelInactive(context: ChannelHandlerContext) {
        timeout?.cancel()
        if let peer = authenticatedPeer {
            registry.disconnected(peer, channel: context.channel)
            registry.logger.info("p2p: disconnected from \(peer) (\(remote))")
        }
        state = .closing
        context.fireChannelInactive()
    }

    private func receiveHello(_ bytes: [UInt8], context: ChannelHandlerContext) {
        let hello: PeerHello
        do { hello = try PeerHello.decode(canonical: bytes) } catch {
            return refuse(context: context, reason: "malformed hello: \(error)")
        }
        if let problem = identity.problem(with: hello, expected: expectedPeer) {
            return refuse(context: context, reason: "refused \(hello.nodeID): \(problem)")
        }
        let isDialer = expectedPeer != nil
        let transcript = PeerIdentity.transcript(
            chainID: identity.chainID, genesisHash: identity.genesisHash,
            dialer: isDialer ? ownHello : hello, listener: isDialer ? hello : ownHello)
        do {
            session = try PeerSession(
                ephemeral: ephemeral, peerEphemeral: hello.ephemeralKey, transcript: transcript,
                isDialer: isDialer)
        } catch {
            return refuse(context: context, reason: "no session with \(hello.nodeID): \(error)")
        }
        state = .awaitingAuth(hello, transcript: transcript)
        writePlain(identity.auth(transcript: transcript).canonicalBytes, context: context)
    }

    private func receiveAuth(_ bytes: [UInt8], hello: PeerHello, transcript: Hash256, context: ChannelHandlerContext) {
        let auth: PeerAuth
        do { auth = try PeerAuth.decode(canonical: bytes) } catch {
            return refuse(context: context, reason: "malformed auth from \(hello.nodeID): \(error)")
        }
        if let problem = identity.problem(with: auth, from: hello, transcript: transcript) {
            return refuse(context: context, reason: "refused \(hello.nodeID): \(problem)")
        }
        timeout?.cancel()
        timeout = nil
        guard registry.authenticated(hello.nodeID, channel: context.channel) else {
            return refuse(context: context, reason: "network is stopping")
        }
        state = .authenticated(hello.nodeID)
        authenticatedPeer = hello.nodeID
        registry.logger.info("p2p: authenticated \(hello.nodeID) (\(remote))")
        onAuthenticated?(hello.nodeID)
    }

    private func receiveMessage(_ sealed: [UInt8], from peer: IdentityID, context: ChannelHandlerContext) {
        guard session != nil else { return refuse(context: context, reason: "no session") }
        let bytes: [UInt8]
        do { bytes = try session!.open(sealed) } catch {
            return refuse(context: context, reason: "\(error)")
        }
        let message: PeerMessage
        do { message = try PeerMessage.decode(canonical: bytes) } catch {
            return refuse(context: context, reason: "malformed message: \(error)")
        }
        // Liveness is the transport's business: answer pings here, deliver everything else.
        if case .ping(let value) = message {
            writeSealed(PeerMessage.pong(value).canonicalBytes, context: context, promise: nil)
            context.flush()
        } else {
            registry.deliver(message, from: peer)
        }
    }

    /// Outbound message payloads (from `PeerNetwork`): sealed and framed. Nothing leaves
    /// before the handshake completes.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = Self.unwrapOutboundIn(data)
        guard case .authenticated = state else {
            promise?.fail(PeerFrameError(description: "connection is not authenticated"))
            return
        }
        writeSealed(buffer.readBytes(length: buffer.readableBytes) ?? [], context: context, promise: promise)
    }

    private func writeSealed(_ payload: [UInt8], context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let sealed: [UInt8]
        do { sealed = try session!.seal(payload) } catch {
            promise?.fail(error)
            return refuse(context: context, reason: "\(error)")
        }
        let frame = PeerFrame.buffer(payload: sealed, allocator: context.channel.allocator)
        context.write(Self.wrapOutboundOut(frame), promise: promise)
    }

    /// Handshake frames, in clear.
    private func writePlain(_ payload: [UInt8], context: ChannelHandlerContext) {
        let frame = PeerFrame.buffer(payload: payload, allocator: context.channel.allocator)
        context.writeAndFlush(Self.wrapOutboundOut(frame), promise: nil)
    }

    /// Logs why and closes; later events on the closing channel are ignored.
    private func refuse(context: ChannelHandlerContext, reason: String) {
        if case .closing = state { return }
        let who = authenticatedPeer.map { "\($0) (\(remote))" } ?? remote
        registry.logger.warning("p2p: closing connection to \(who): \(reason)")
        registry.recordRefusal()
        state = .closing
        timeout?.cancel()
        context.close(promise: nil)
    }
}
