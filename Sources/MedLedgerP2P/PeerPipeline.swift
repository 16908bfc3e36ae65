import MedLedgerCore
import NIOCore

/// Installs the peer protocol on a new channel, inbound or outbound alike.
enum PeerPipeline {
    /// Frames, then the handshake and message handler. Fails (closing the channel) when the
    /// network is stopping, so no channel escapes `PeerNetwork.stop`, and when too many
    /// connections are already in the handshake.
    static func configure(
        _ channel: any Channel, identity: PeerIdentity, registry: PeerRegistry,
        expectedPeer: IdentityID? = nil,
        onAuthenticated: (@Sendable (IdentityID) -> Void)? = nil
    ) -> EventLoopFuture<Void> {
        channel.eventLoop.makeCompletedFuture {
            try registry.track(channel)
            let operations = channel.pipeline.syncOperations
            try operations.addHandler(ByteToMessageHandler(PeerFrameDecoder()))
            try operations.addHandler(
                PeerConnectionHandler(
                    identity: identity, registry: registry,
                    expectedPeer: expectedPeer,
                    onAuthenticated: onAuthenticated))
        }
    }
}
