import Logging
import MedLedgerCore
import NIOCore
import NIOSSL
import NIOTLS

/// One connection's protocol above TLS: a `PeerHello` each way, then `PeerMessage`s, all as
/// frame payloads from `PeerFrameDecoder`. Runs only on its channel's event loop.
///
/// Who is on the other end is settled by the TLS handshake (`PeerTLS`, which records it in
/// `verdict`); the hello then checks that both sides are on the same chain. TLS encrypts and
/// authenticates every byte, so frames here are plain length-prefixed payloads.
///
/// Anything unexpected (a refused certificate, a failed TLS handshake, a bad frame, a hello
/// for another chain, a message that does not decode, the 5 s deadline passing before the
/// hello) closes the connection with one log line naming the peer and the reason, and counts
/// as a refusal. Nothing a peer sends can trap.
final class PeerConnectionHandler: ChannelDuplexHandler {
    typealias InboundIn = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// How long a peer has to complete the TLS handshake and send its hello.
    static let handshakeTimeout = TimeAmount.seconds(5)

    private enum State {
        case awaitingHello
        case authenticated(IdentityID)
        case closing
    }

    private let identity: PeerIdentity
    private let registry: PeerRegistry
    private let verdict: PeerTLSVerdict
    private let onAuthenticated: (@Sendable (IdentityID) -> Void)?
    private var state = State.awaitingHello
    /// Kept apart from `state` so a connection closed after auth still leaves the registry.
    private var authenticatedPeer: IdentityID?
    private var timeout: Scheduled<Void>?
    private var remote = "unknown address"

    init(
        identity: PeerIdentity, registry: PeerRegistry, verdict: PeerTLSVerdict,
        onAuthenticated: (@Sendable (IdentityID) -> Void)?
    ) {
        self.identity = identity
        self.registry = registry
        self.verdict = verdict
        self.onAuthenticated = onAuthenticated
    }

    func channelActive(context: ChannelHandlerContext) {
        remote = context.remoteAddress.map { "\($0)" } ?? remote
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

    /// Our hello goes out once TLS has authenticated both sides, never before.
    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if case TLSUserEvent.handshakeCompleted = event {
            guard verdict.peer != nil else {
                return refuse(context: context, reason: "TLS completed without an accepted certificate")
            }
            writeFrame(identity.hello.canonicalBytes, context: context, promise: nil)
            context.flush()
        }
        context.fireUserInboundEventTriggered(event)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        var buffer = Self.unwrapInboundIn(data)
        let bytes = buffer.readBytes(length: buffer.readableBytes) ?? []
        switch state {
        case .awaitingHello: receiveHello(bytes, context: context)
        case .authenticated(let peer): receiveMessage(bytes, from: peer, context: context)
        case .closing: return
        }
    }

    /// A refused certificate reaches us as NIOSSL's handshake error; the verdict says why.
    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        if let refusal = verdict.refusal {
            return refuse(context: context, reason: "refused certificate: \(refusal)")
        }
        if error is NIOSSLError || error is BoringSSLError {
            return refuse(context: context, reason: "TLS handshake failed: \(error)")
        }
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
        // TLS delivers no application data before its handshake, whose verification set this.
        guard let peer = verdict.peer else { return refuse(context: context, reason: "data before TLS verification") }
        let hello: PeerHello
        do { hello = try PeerHello.decode(canonical: bytes) } catch {
            return refuse(context: context, reason: "malformed hello from \(peer): \(error)")
        }
        if let problem = identity.problem(with: hello) {
            return refuse(context: context, reason: "refused \(peer): \(problem)")
        }
        timeout?.cancel()
        timeout = nil
        guard registry.authenticated(peer, channel: context.channel) else {
            return refuse(context: context, reason: "network is stopping")
        }
        state = .authenticated(peer)
        authenticatedPeer = peer
        registry.logger.info("p2p: authenticated \(peer) (\(remote))")
        onAuthenticated?(peer)
    }

    private func receiveMessage(_ bytes: [UInt8], from peer: IdentityID, context: ChannelHandlerContext) {
        let message: PeerMessage
        do { message = try PeerMessage.decode(canonical: bytes) } catch {
            return refuse(context: context, reason: "malformed message: \(error)")
        }
        // Liveness is the transport's business: answer pings here, deliver everything else.
        if case .ping(let value) = message {
            writeFrame(PeerMessage.pong(value).canonicalBytes, context: context, promise: nil)
            context.flush()
        } else {
            registry.deliver(message, from: peer)
        }
    }

    /// Outbound message payloads (from `PeerNetwork`), framed. Nothing leaves before the
    /// peer's hello is accepted.
    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        var buffer = Self.unwrapOutboundIn(data)
        guard case .authenticated = state else {
            promise?.fail(PeerFrameError(description: "connection is not authenticated"))
            return
        }
        writeFrame(buffer.readBytes(length: buffer.readableBytes) ?? [], context: context, promise: promise)
    }

    private func writeFrame(_ payload: [UInt8], context: ChannelHandlerContext, promise: EventLoopPromise<Void>?) {
        let frame = PeerFrame.buffer(payload: payload, allocator: context.channel.allocator)
        context.write(Self.wrapOutboundOut(frame), promise: promise)
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
