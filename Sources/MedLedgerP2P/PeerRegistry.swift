import Logging
import MedLedgerCore
import NIOCore

/// The connection table shared by event-loop handlers and `PeerNetwork`'s callers.
///
/// Holds every open channel (so `stop` can close them, authenticated or not) and, per
/// authenticated peer, its one live channel. A newer authenticated connection from the same
/// node replaces the older one (the older is closed): a restarted peer's new connection
/// wins over a half-dead old socket.
final class PeerRegistry: Sendable {
    /// Connections still in the handshake, at most this many from one address and in all:
    /// a stranger cannot hold many sockets open doing nothing.
    static let maxHalfOpenPerAddress = Limits.peerHalfOpenPerAddressMax
    static let maxHalfOpen = Limits.peerHalfOpenMax

    private struct State: Sendable {
        var open: [ObjectIdentifier: any Channel] = [:]
        /// Channels not yet authenticated, with the address they came from.
        var halfOpen: [ObjectIdentifier: String] = [:]
        var peers: [IdentityID: any Channel] = [:]
        var stopped = false
        var refusals = 0
    }

    private let state = P2PLockedBox(State())
    private let continuation: AsyncStream<(IdentityID, PeerMessage)>.Continuation
    /// Blob transfers go to their own bounded queue, so chunks never crowd out votes.
    private let blobContinuation: AsyncStream<(IdentityID, PeerMessage)>.Continuation?
    let logger: Logger

    init(
        continuation: AsyncStream<(IdentityID, PeerMessage)>.Continuation,
        blobContinuation: AsyncStream<(IdentityID, PeerMessage)>.Continuation? = nil, logger: Logger
    ) {
        self.continuation = continuation
        self.blobContinuation = blobContinuation
        self.logger = logger
    }

    /// Why a new channel is refused: the network stopped, or too many half-open connections.
    enum Refusal: Error, CustomStringConvertible {
        case stopped
        case tooManyHalfOpen(String)
        var description: String {
            switch self {
            case .stopped: "peer network is stopped"
            case .tooManyHalfOpen(let address): "too many connections in the handshake (from \(address))"
            }
        }
    }

    /// Records a new channel, which counts as half-open until `authenticated`.
    func track(_ channel: any Channel) throws(Refusal) {
        let key = ObjectIdentifier(channel)
        let address = channel.remoteAddress?.ipAddress ?? "unknown"
        let refusal: Refusal? = state.withLock { state in
            guard !state.stopped else { return .stopped }
            let fromAddress = state.halfOpen.values.lazy.filter { $0 == address }.count
            guard fromAddress < Self.maxHalfOpenPerAddress, state.halfOpen.count < Self.maxHalfOpen else {
                return .tooManyHalfOpen(address)
            }
            state.open[key] = channel
            state.halfOpen[key] = address
            return nil
        }
        if let refusal {
            if case .tooManyHalfOpen = refusal {
                logger.warning("p2p: refusing a connection: \(refusal)")
                recordRefusal()
            }
            throw refusal
        }
        channel.closeFuture.whenComplete { [self] _ in
            state.withLock { state in
                state.open.removeValue(forKey: key)
                state.halfOpen.removeValue(forKey: key)
            }
        }
    }

    /// Connections still in the handshake (for tests and diagnostics).
    var halfOpenCount: Int { state.withLock { $0.halfOpen.count } }

    /// Makes `channel` the live connection to `peer`; false when stopped.
    func authenticated(_ peer: IdentityID, channel: any Channel) -> Bool {
        let (accepted, replaced): (Bool, (any Channel)?) = state.withLock { state in
            guard !state.stopped else { return (false, nil) }
            state.halfOpen.removeValue(forKey: ObjectIdentifier(channel))
            let old = state.peers.updateValue(channel, forKey: peer)
            return (true, old.flatMap { $0 === channel ? nil : $0 })
        }
        if let replaced {
            logger.info("p2p: new connection from \(peer) replaces the previous one")
            replaced.close(promise: nil)
        }
        return accepted
    }

    /// Forgets `channel` as `peer`'s connection, unless a newer one already replaced it.
    func disconnected(_ peer: IdentityID, channel: any Channel) {
        state.withLock { state in
            if let current = state.peers[peer], current === channel { state.peers[peer] = nil }
        }
    }

    /// Hands an authenticated peer's message to `PeerNetwork.inbound`.
    func deliver(_ message: PeerMessage, from peer: IdentityID) {
        if message.isBlobMessage, let blobContinuation {
            if case .dropped(let (oldPeer, oldMessage)) = blobContinuation.yield((peer, message)) {
                logger.debug("p2p: blob queue full, dropped \(oldMessage.kind) from \(oldPeer)")
            }
            return
        }
        if case .dropped(let (oldPeer, oldMessage)) = continuation.yield((peer, message)) {
            logger.warning("p2p: inbound buffer full, dropped oldest message (\(oldMessage.kind) from \(oldPeer))")
        }
    }

    func recordRefusal() { state.withLock { $0.refusals += 1 } }

    /// How many handshakes or connections were refused (for diagnostics and tests).
    var refusals: Int { state.withLock { $0.refusals } }

    func channel(for peer: IdentityID) -> (any Channel)? { state.withLock { $0.peers[peer] } }

    var connectedPeers: [IdentityID] { state.withLock { $0.peers.keys.sorted() } }

    var liveChannels: [(IdentityID, any Channel)] { state.withLock { $0.peers.map { ($0.key, $0.value) } } }

    /// Refuses new channels from now on and returns every open one, for the caller to close.
    func stop() -> [any Channel] {
        state.withLock { state in
            state.stopped = true
            state.peers = [:]
            return Array(state.open.values)
        }
    }

    /// Ends `PeerNetwork.inbound`.
    func finish() {
        continuation.finish()
        blobContinuation?.finish()
    }
}
