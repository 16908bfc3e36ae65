import Prometheus

extension APIMetrics {
    /// Metrics kept in `registry`, the one `GET /metrics` renders (Prometheus text 0.0.4).
    init(registry: PrometheusCollectorRegistry) {
        self.init(factory: PrometheusMetricsFactory(registry: registry), render: { registry.emitToBuffer() })
    }
}
