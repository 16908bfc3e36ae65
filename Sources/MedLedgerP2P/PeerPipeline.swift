import MedLedgerCore
import NIOCore

/// Installs the peer protocol on a new channel, inbound or outbound alike.
enum PeerPipeline {
    /// TLS, then frames, then the hello and message handler. Fails (closing the channel) when
    /// the network is stopping, so no channel escapes `PeerNetwork.stop`, and when too many
    /// connections are already in the handshake.
    static func configure(
        _ channel: any Channel, identity: PeerIdentity, tls: PeerTLS, registry: PeerRegistry,
        expectedPeer: IdentityID? = nil,
        onAuthenticated: (@Sendable (IdentityID) -> Void)? = nil
    ) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try registry.track(channel)
            let verdict = PeerTLSVerdict()
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(tls.handler(identity: identity, expectedPeer: expectedPeer, verdict: verdict))
            try operations.addHandler(ByteToMessageHandler(PeerFrameDecoder()))
            try operations.addHandler(
                PeerConnectionHandler(
                    identity: identity, registry: registry, verdict: verdict, onAuthenticated: onAuthenticated))
        }
    }
}
