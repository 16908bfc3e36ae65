import Hummingbird
import Logging
import MedLedgerNode
import Prometheus
import ServiceLifecycle

/// Runs the HTTP API.
public enum APIServer {
    /// The API server as a service, for a `ServiceGroup` that runs the node's other services
    /// beside it. On graceful shutdown it stops accepting connections and lets in-flight
    /// requests finish.
    /// - Parameters:
    ///   - metrics: the registry `GET /metrics` renders (see `buildRouter`).
    ///   - onListening: called with the bound port once the server listens (useful with port
    ///     0, which picks a free port).
    public static func service(
        node: LedgerNode, host: String, port: Int, logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) -> any Service {
        application(node: node, host: host, port: port, logger: logger, metrics: metrics, onListening: onListening)
    }

    /// Serves the API on `host:port` until the task is cancelled or the process gets
    /// SIGTERM/SIGINT, then shuts down gracefully (in-flight requests finish).
    /// - Parameter onListening: called with the bound port once the server listens.
    public static func run(
        node: LedgerNode, host: String, port: Int, logger: Logger,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(
            node: node, host: host, port: port, logger: logger, metrics: PrometheusCollectorRegistry(),
            onListening: onListening
        )
        .runService()
    }

    private static func application(
        node: LedgerNode, host: String, port: Int, logger: Logger,
        metrics: PrometheusCollectorRegistry,
        onListening: @escaping @Sendable (Int) async -> Void
    )
        -> Application<RouterResponder<APIRequestContext>>
    {
        Application(
            router: buildRouter(node: node, metrics: metrics),
            configuration: .init(address: .hostname(host, port: port), serverName: "MedLedger"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
