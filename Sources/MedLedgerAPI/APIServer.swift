import Hummingbird
import HummingbirdTLS
import Logging
import MedLedgerHTTPLimits
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
    ///   - tls: serve HTTPS with this configuration (see `APITLS`); nil serves plain HTTP.
    ///   - limits: how many connections stay open at once, and how long an idle one does.
    ///   - onListening: called with the bound port once the server listens (useful with port
    ///     0, which picks a free port).
    /// - Throws: when the TLS configuration cannot be used.
    public static func service(
        node: LedgerNode, host: String, port: Int, logger: Logger,
        metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
        tls: TLSConfiguration? = nil, limits: APIConnectionLimits = .standard,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws -> any Service {
        try application(
            node: node, host: host, port: port, logger: logger, metrics: metrics, tls: tls, limits: limits,
            onListening: onListening)
    }

    /// Serves the API on `host:port` until the task is cancelled or the process gets
    /// SIGTERM/SIGINT, then shuts down gracefully (in-flight requests finish).
    /// - Parameters:
    ///   - tls: serve HTTPS with this configuration (see `APITLS`); nil serves plain HTTP.
    ///   - onListening: called with the bound port once the server listens.
    public static func run(
        node: LedgerNode, host: String, port: Int, logger: Logger, tls: TLSConfiguration? = nil,
        onListening: @escaping @Sendable (Int) async -> Void = { _ in }
    ) async throws {
        try await application(
            node: node, host: host, port: port, logger: logger, metrics: PrometheusCollectorRegistry(), tls: tls,
            limits: .standard, onListening: onListening
        )
        .runService()
    }

    private static func application(
        node: LedgerNode, host: String, port: Int, logger: Logger,
        metrics: PrometheusCollectorRegistry, tls: TLSConfiguration?, limits: APIConnectionLimits,
        onListening: @escaping @Sendable (Int) async -> Void
    ) throws
        -> Application<RouterResponder<APIRequestContext>>
    {
        Application(
            router: buildRouter(node: node, metrics: metrics, scheme: tls == nil ? "http" : "https"),
            server: .eventLoopBoundHTTP1(tls: tls, limits: limits),
            configuration: .init(address: .hostname(host, port: port), serverName: "MedLedger"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
    }
}
