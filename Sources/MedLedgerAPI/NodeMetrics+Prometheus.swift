import MedLedgerNode
import Prometheus

extension NodeMetrics {
    /// The node's metrics kept in `registry`, the one `GET /metrics` renders, with its timers
    /// given `NodeMetrics.latencyBuckets` instead of Prometheus' default ones.
    public init(prometheus registry: PrometheusCollectorRegistry) {
        var factory = PrometheusMetricsFactory(registry: registry)
        for label in Self.timerLabels { factory.durationHistogramBuckets[label] = Self.latencyBuckets }
        self.init(factory: factory)
    }
}
