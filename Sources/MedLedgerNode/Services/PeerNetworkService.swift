import MedLedgerP2P
import ServiceLifecycle

/// Keeps a started peer network for the node's lifetime: reports the connected peers to
/// the metrics, and closes the listener and every link on shutdown. Started by
/// `NodeRuntime` before the services run, so a port already taken fails `node start` at once.
public struct PeerNetworkService: Service {
    let network: PeerNetwork
    let metrics: NodeMetrics

    /// How often the connected-peer gauge and the refusal counter are refreshed.
    static let sampleIntervalMilliseconds = 1_000

    public func run() async {
        let (network, metrics) = (network, metrics)
        await cancelWhenGracefulShutdown {
            var refusalsSeen = 0
            while !Task.isCancelled {
                metrics.peers(connected: network.connectedPeers.count)
                let refusals = network.refusals
                metrics.peersRefused(refusals - refusalsSeen)
                refusalsSeen = refusals
                try? await Task.sleep(for: .milliseconds(Self.sampleIntervalMilliseconds))
            }
        }
        metrics.peers(connected: 0)
        await network.stop()
    }
}
