import ArgumentParser
import MedLedgerStorage
import Foundation
import Logging
import MedLedgerAPI
import MedLedgerCore
import MedLedgerHTTPLimits
import MedLedgerNode
import Prometheus
import ServiceLifecycle

struct NodeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "node", abstract: "Create and run a node.", subcommands: [Init.self, Start.self])

    struct Init: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Create a single-validator network in a data directory.",
            discussion: """
                Writes genesis.json and this node's validator key. Each --org is a founding organization:
                `--org "St. Mary's Hospital"` creates its admin key in DATA-DIR/org-keys/, or
                `--org "St. Mary's Hospital=hospital.json"` uses an existing key file.
                """)

        @Option(name: .long, help: "The new node's data directory (must not hold a node yet).")
        var dataDir: String
        @Option(name: .long, help: "The chain id, signed into every transaction.")
        var chainId: String = "medledger-local"
        @Option(name: .long, help: "A founding organization: NAME or NAME=KEYFILE. Repeat for each.")
        var org: [String] = []
        @Option(name: .long, help: EncryptionSuite.nodeKeysHelp) var suite: EncryptionSuite = .xwing

        func validate() throws {
            guard !org.isEmpty else { throw ValidationError("give at least one --org") }
        }

        func run() throws {
            let directory = DataDirectory(path: dataDir)
            var organizations: [(name: String, keys: IdentityKeys)] = []
            var created: [String] = []
            let keyFolder = directory.url.appendingPathComponent("org-keys")
            for (index, entry) in org.enumerated() {
                let parts = entry.split(separator: "=", maxSplits: 1).map(String.init)
                if parts.count == 2 {
                    organizations.append((parts[0], try KeyFile.load(URL(fileURLWithPath: parts[1])).keys()))
                } else {
                    let keys = IdentityKeys.generate(suite: suite)
                    try FileManager.default.createDirectory(at: keyFolder, withIntermediateDirectories: true)
                    let file = keyFolder.appendingPathComponent("org\(index).json")
                    try KeyFile(label: entry, keys: keys).write(to: file)
                    created.append("\(entry): \(file.path)")
                    organizations.append((entry, keys))
                }
            }
            let nodeKeys = IdentityKeys.generate(suite: suite)
            let genesis = SingleValidatorGenesis.make(
                chainID: chainId, time: ConsensusTime(wallClock: SystemClock.now()), nodeKeys: nodeKeys,
                organizations: organizations)
            if let problem = genesis.problem() { throw ValidationError(problem) }
            try directory.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node0", keys: nodeKeys))
            print("Created chain \(chainId) in \(directory.url.path) with \(organizations.count) organization(s).")
            for line in created { print("  admin key for \(line)") }
            print("Start it with: medledger node start --data-dir \(dataDir)")
        }
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run a node: produce blocks and serve the HTTP API until stopped (Ctrl-C).")

        @Option(name: .long, help: "The node's data directory (made by `node init`, `testnet init` or `demo`).")
        var dataDir: String
        @Option(name: .long, help: "HOST:PORT for the HTTP API (default: network.json's, else 127.0.0.1:8080).")
        var http: String?
        @Option(name: .long, help: "HOST:PORT for peer-to-peer (default: network.json's; multi-validator networks).")
        var p2p: String?
        @Option(name: .long, help: "Serve the HTTP API over TLS with this PEM certificate chain (with --tls-key).")
        var tlsCert: String?
        @Option(name: .long, help: "The PEM private key of --tls-cert.")
        var tlsKey: String?
        @Option(name: .long, help: DatabaseOption.help) var database: String?
        @Option(
            name: .long,
            help:
                "Open API connections one client address (an IPv6 /64) may hold, 1-4096 (default: an eighth of the limit, at least 16; raise it behind a reverse proxy)."
        )
        var apiConnectionsPerAddress: Int?

        func validate() throws {
            if let apiConnectionsPerAddress, !(1...4_096).contains(apiConnectionsPerAddress) {
                throw ValidationError("--api-connections-per-address must be 1-4096, got \(apiConnectionsPerAddress)")
            }
            if let http { _ = try HostPort(http, option: "--http") }
            if let p2p { _ = try HostPort(p2p, option: "--p2p") }
            if let database { _ = try DatabaseOption.url(database) }
            guard (tlsCert == nil) == (tlsKey == nil) else {
                throw ValidationError("give --tls-cert and --tls-key together (HTTPS needs both), or neither")
            }
            for (option, file) in [("--tls-cert", tlsCert), ("--tls-key", tlsKey)] {
                if let file, !FileManager.default.fileExists(atPath: file) {
                    throw ValidationError("\(option) \(file) does not exist")
                }
            }
        }

        func run() async throws {
            let allocator = AllocatorTuning.applyForNode()
            let directory = DataDirectory(path: dataDir)
            let configured = try? NetworkConfig.load(directory)
            let address = try HostPort(http ?? configured?.http ?? "127.0.0.1:8080", option: "--http")
            var logger = Logger(label: "medledger.node")
            logger.logLevel = .info
            logger.info("\(allocator)")
            // One registry for the process: the node's counters and the API's, rendered by /metrics.
            let metrics = PrometheusCollectorRegistry()
            let node: LedgerNode
            do {
                node = try LedgerNode(
                    dataDirectory: directory, store: try DatabaseOption.open(database), logger: logger,
                    metrics: NodeMetrics(prometheus: metrics))
            } catch {
                throw CLIError("cannot start node: \(error)")
            }
            let height = await node.height
            logger.info("node \(node.nodeID.hex.prefix(12)) of chain \(node.genesis.chainID) at height \(height)")
            if p2p != nil, node.validators.validators.count == 1 {
                logger.notice("--p2p ignored: a single-validator network has no peers")
            }
            let blockMaking: [ServiceGroupConfiguration.ServiceConfiguration]
            do {
                blockMaking = try await NodeRuntime.services(node: node, directory: directory, p2p: p2p, logger: logger)
            } catch {
                throw CLIError("cannot start block production: \(error)")
            }
            let tls = try tlsCert.flatMap { cert in
                try tlsKey.map { try APITLS.serverConfiguration(certificateFile: cert, keyFile: $0) }
            }
            let limits = APIConnectionLimits.standard(perAddress: apiConnectionsPerAddress)
            let http = try APIServer.service(
                node: node, host: address.host, port: address.port, logger: logger, metrics: metrics, tls: tls,
                limits: limits)
            logger.info(
                "API on \(tls == nil ? "http" : "https")://\(address.host):\(address.port), at most \(limits.maxConnections) connections, \(limits.maxConnectionsPerAddress) from one address"
            )
            try await ServiceGroup(configuration: Self.serviceGroup(blockMaking, http: http, logger: logger)).run()
            let finalHeight = await node.height
            logger.info("node stopped at height \(finalHeight)")
        }

        /// HTTP last, so a graceful shutdown (which goes in reverse) stops accepting requests
        /// first, lets in-flight ones finish while blocks still commit, then stops block
        /// making and closes the network. SIGTERM and SIGINT start it; a shutdown stuck past
        /// the limit is escalated to cancellation.
        static func serviceGroup(
            _ blockMaking: [ServiceGroupConfiguration.ServiceConfiguration], http: any Service,
            logger: Logger
        ) -> ServiceGroupConfiguration {
            var configuration = ServiceGroupConfiguration(
                services: blockMaking + [.init(service: http, serviceName: "http")],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger)
            configuration.maximumGracefulShutdownDuration = .seconds(gracefulShutdownLimitSeconds)
            return configuration
        }

        static let gracefulShutdownLimitSeconds: Int64 = 5
    }
}

/// A parsed HOST:PORT option.
struct HostPort {
    let host: String
    let port: Int
    init(_ text: String, option: String) throws {
        guard let colon = text.lastIndex(of: ":"), let port = Int(text[text.index(after: colon)...]),
            (1...65_535).contains(port), colon != text.startIndex
        else {
            throw ValidationError("\(option) must be HOST:PORT such as 127.0.0.1:8080, got \(text)")
        }
        self.host = String(text[..<colon])
        self.port = port
    }
}
