import Hummingbird
import MedLedgerAPIModel
import Logging
import MedLedgerNode

/// Runs the HTTP API.
public enum APIServer {
    /// Serves the API on `host:port` until the task is cancelled or the process gets
    /// SIGTERM/SIGINT, then shuts down gracefully (in-flight requests finish).
    /// - Parameter onListening: called with the bound port once the server listens (useful
    ///   with port 0, which picks a free port).
    public static func run(node: LedgerNode, host: String, port: Int, logger: Logger,
                           onListening: @escaping @Sendable (Int) async -> Void = { _ in }) async throws {
        let app = Application(
            router: buildRouter(node: node),
            configuration: .init(address: .hostname(host, port: port), serverName: "MedLedger"),
            onServerRunning: { channel in await onListening(channel.localAddress?.port ?? port) },
            logger: logger)
        try await app.runService()
    }
}
