import Metrics

/// What the node counts for operators: blocks and transactions committed, peers connected,
/// and peer connections refused (a certificate not in the genesis, a failed TLS handshake,
/// a bad frame). Recorded through the factory it is given (the CLI passes the Prometheus one
/// behind `/metrics`), never through the process-wide `MetricsSystem`, so tests can run many
/// nodes in one process. Observability only: nothing here is read back by consensus or the
/// contracts. The block height and mempool size are read from the node when `/metrics` is
/// scraped, so they are exact for any router, whatever factory the node was given.
public struct NodeMetrics: Sendable {
    let blocksCommitted: Counter
    let transactionsCommitted: Counter
    let peersConnected: Gauge
    let peerRefusals: Counter

    /// - Parameter factory: where the metrics are recorded.
    public init(factory: any MetricsFactory) {
        blocksCommitted = Counter(label: "medledger_blocks_committed_total", factory: factory)
        transactionsCommitted = Counter(label: "medledger_transactions_committed_total", factory: factory)
        peersConnected = Gauge(label: "medledger_peers_connected", factory: factory)
        peerRefusals = Counter(label: "medledger_peer_refusals_total", factory: factory)
    }

    /// Records nothing: for tests, the demo and tools that serve no `/metrics`.
    public static let disabled = NodeMetrics(factory: NOOPMetricsHandler.instance)

    func blockCommitted(transactions: Int) {
        precondition(transactions >= 0, "a block holds a non-negative number of transactions")
        blocksCommitted.increment()
        transactionsCommitted.increment(by: transactions)
    }

    func peers(connected count: Int) {
        precondition(count >= 0, "a peer count is never negative")
        peersConnected.record(count)
    }

    func peersRefused(_ count: Int) {
        precondition(count >= 0, "a refusal count only grows")
        peerRefusals.increment(by: count)
    }
}
