import Logging
import MedLedgerCore
import NIOCore
import NIOPosix

/// Keeps one outbound connection to a configured peer: connect, wait until it closes, wait
/// the back-off, repeat — until its task is cancelled by `PeerNetwork.stop`.
struct PeerDialer: Sendable {
    static let connectTimeout = TimeAmount.seconds(3)

    let address: PeerNetwork.PeerAddress
    let group: MultiThreadedEventLoopGroup
    let identity: PeerIdentity
    let tls: PeerTLS
    let registry: PeerRegistry

    func run() async {
        var backoff = PeerBackoff()
        while !Task.isCancelled {
            if await connectOnce() { backoff.reset() }
            guard !Task.isCancelled else { return }
            let delay = backoff.next()
            registry.logger.debug("p2p: reconnecting to \(address.id) at \(address.host):\(address.port) in \(delay)")
            do { try await Task.sleep(for: delay) } catch { return }
        }
    }

    /// One connection attempt and its lifetime; true when it got past the handshake.
    private func connectOnce() async -> Bool {
        let authenticated = P2PLockedBox(false)
        let identity = identity
        let tls = tls
        let registry = registry
        let expected = address.id
        let bootstrap = ClientBootstrap(group: group)
            .connectTimeout(Self.connectTimeout)
            .channelOption(.socketOption(.tcp_nodelay), value: 1)
            .channelOption(.writeBufferWaterMark, value: PeerNetwork.writeBufferWaterMark)
            .channelInitializer { channel in
                PeerPipeline.configure(
                    channel, identity: identity, tls: tls, registry: registry, expectedPeer: expected
                ) { _ in authenticated.withLock { $0 = true } }
            }
        let channel: any Channel
        do {
            channel = try await bootstrap.connect(host: address.host, port: address.port).get()
        } catch {
            registry.logger.debug("p2p: cannot connect to \(address.id) at \(address.host):\(address.port): \(error)")
            return false
        }
        // stop() closes every tracked channel; closing here too covers a cancel that races it.
        await withTaskCancellationHandler {
            try? await channel.closeFuture.get()
        } onCancel: {
            channel.close(promise: nil)
        }
        return authenticated.current
    }
}
