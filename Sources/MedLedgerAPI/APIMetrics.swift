import MedLedgerCore
import Metrics

/// The HTTP API's metrics, recorded through one swift-metrics factory and rendered by
/// `GET /metrics`. Each router has its own (see `buildRouter`), never the process-wide
/// `MetricsSystem`, which can be bootstrapped only once per process while tests build many
/// routers in one.
struct APIMetrics: Sendable {
    static let requestsLabel = "medledger_http_requests_total"
    static let durationLabel = "medledger_http_request_duration_seconds"

    let factory: any MetricsFactory
    /// Everything recorded so far, as Prometheus text.
    let render: @Sendable () -> [UInt8]
    let blockHeight: Gauge
    let mempoolTransactions: Gauge

    init(factory: any MetricsFactory, render: @escaping @Sendable () -> [UInt8]) {
        self.factory = factory
        self.render = render
        blockHeight = Gauge(label: "medledger_block_height", factory: factory)
        mempoolTransactions = Gauge(label: "medledger_mempool_transactions", factory: factory)
    }

    /// Counts a response by status, and times it by method and route. The route is the
    /// matched pattern (`/v1/blocks/{height}`), never the raw path, so the labels stay few.
    func responseSent(status: Int, method: String, route: String, duration: Duration) {
        precondition((100...599).contains(status), "an HTTP status is three digits")
        Counter(label: Self.requestsLabel, dimensions: [("status", String(status))], factory: factory).increment()
        Timer(label: Self.durationLabel, dimensions: [("method", method), ("route", route)], factory: factory)
            .record(duration: duration)
    }

    /// The exposition, with the node's height and mempool size sampled now: read at scrape
    /// time they are exact, whatever the node itself records.
    func exposition(height: Height, pendingTransactions: Int) -> [UInt8] {
        blockHeight.record(height.rawValue)
        mempoolTransactions.record(pendingTransactions)
        return render()
    }
}
