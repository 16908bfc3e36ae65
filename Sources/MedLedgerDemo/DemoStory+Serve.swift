import Foundation
import Logging
import MedLedgerAPI
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage
import ServiceLifecycle

/// `medledger demo --serve`: after the story, the demo's nodes keep making blocks and node 0
/// serves the HTTP API and the portal, so a newcomer can sign in with the demo's key files.
extension DemoStory {
    /// The demo's key files (`DATA-DIR/demo-keys/<name>.json`), by name, sorted.
    public var keyFiles: [(name: String, path: String)] {
        let folder = directory.url.appendingPathComponent("demo-keys")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { $0.hasSuffix(".json") }.sorted().map {
            (String($0.dropLast(".json".count)), folder.appendingPathComponent($0).path)
        }
    }

    /// Runs the demo's nodes again (after `run()`) with node 0's API on `host:port`, until
    /// SIGINT or SIGTERM (a graceful shutdown: open requests and event streams end first) or
    /// until the task is cancelled.
    /// - Parameter onListening: called once with the bound port (port 0 picks a free one).
    public func serve(
        host: String, port: Int, onListening: @escaping @Sendable (Int) async -> Void
    ) async throws {
        var logger = Logger(label: "medledger.demo")
        logger.logLevel = .warning
        let configuration = NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 1_000)
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = []
        var first: LedgerNode?
        for folder in nodeDirectories {
            let node = try LedgerNode(dataDirectory: folder, configuration: configuration, logger: logger)
            services += try await NodeRuntime.services(node: node, directory: folder, p2p: nil, logger: logger)
            first = first ?? node
        }
        guard let first else { return }
        let http = try APIServer.service(node: first, host: host, port: port, logger: logger, onListening: onListening)
        // HTTP last: a graceful shutdown goes in reverse, so it stops taking requests first.
        var group = ServiceGroupConfiguration(
            services: services + [.init(service: http, serviceName: "http")],
            gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
        group.maximumGracefulShutdownDuration = .seconds(5)
        try await ServiceGroup(configuration: group).run()
    }
}
