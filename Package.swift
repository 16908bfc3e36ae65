// swift-tools-version:6.2
import PackageDescription
import Foundation

// One target per job, dependencies pointing down (see docs/ARCHITECTURE.md and
// docs/adr/0006-one-target-per-job.md):
//
//   Core <- Contracts, Consensus, Vault, Storage
//   Core, Contracts <- APIModel (JSON shapes, problems, request signing; no server, no store)
//   Core, Contracts <- FHIR (R4 resource models and the pure mappings from ledger records) <- API
//   Core, Consensus <- P2P (mutual TLS 1.3 over swift-nio-ssl, certificates from swift-certificates)
//   Contracts, Consensus, Vault, Storage, P2P <- Node <- API (Hummingbird routes)
//   HTTPLimits (connection limits for an HTTP server) <- API, FHIRGateway
//   APIModel, Vault <- Client (no Node, no Storage)
//   Core, Storage <- Postgres (postgres-nio; the same LedgerDatabase as SQLite's LedgerStore)
//   Contracts, Storage <- Verifier;  Client, API <- Demo;  Node <- Simulator
//   APIModel, Client, Postgres <- Bench (the only user of HdrHistogram; Postgres for --baseline postgres)
//   swift-metrics: Node records, API records and serves through swift-prometheus; Node, API and
//   the CLI run as swift-service-lifecycle services. Core, Contracts and Consensus use neither.
//   every runtime target <- medledger (the CLI); Testing (fixtures) is linked by tests only.
let crypto: Target.Dependency = .product(name: "Crypto", package: "swift-crypto")
let logging: Target.Dependency = .product(name: "Logging", package: "swift-log")
let asyncHTTPClient: Target.Dependency = .product(name: "AsyncHTTPClient", package: "async-http-client")
let nioCore: Target.Dependency = .product(name: "NIOCore", package: "swift-nio")
let nioPosix: Target.Dependency = .product(name: "NIOPosix", package: "swift-nio")
let metrics: Target.Dependency = .product(name: "Metrics", package: "swift-metrics")
let prometheus: Target.Dependency = .product(name: "Prometheus", package: "swift-prometheus")
let serviceLifecycle: Target.Dependency = .product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let openAPIRuntime: Target.Dependency = .product(name: "OpenAPIRuntime", package: "swift-openapi-runtime")
let openAPIClientTransport: Target.Dependency = .product(
    name: "OpenAPIAsyncHTTPClient", package: "swift-openapi-async-http-client")
let httpTypes: Target.Dependency = .product(name: "HTTPTypes", package: "swift-http-types")
let nioSSL: Target.Dependency = .product(name: "NIOSSL", package: "swift-nio-ssl")
let x509: Target.Dependency = .product(name: "X509", package: "swift-certificates")
let asn1: Target.Dependency = .product(name: "SwiftASN1", package: "swift-asn1")

let package = Package(
    name: "MedLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "medledger", targets: ["medledger"]),
        .library(name: "MedLedgerCore", targets: ["MedLedgerCore"]),
        .library(name: "MedLedgerClient", targets: ["MedLedgerClient"]),
        .library(name: "MedLedgerNode", targets: ["MedLedgerNode"]),
        // For the separate Benchmarks/ package (ordo-one/benchmark), which measures them.
        .library(name: "MedLedgerContracts", targets: ["MedLedgerContracts"]),
        .library(name: "MedLedgerVault", targets: ["MedLedgerVault"]),
        .library(name: "MedLedgerStorage", targets: ["MedLedgerStorage"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-openapi-runtime.git", from: "1.13.4"),
        .package(url: "https://github.com/hummingbird-project/swift-openapi-hummingbird.git", from: "2.1.0"),
        .package(url: "https://github.com/swift-server/swift-openapi-async-http-client.git", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
    ],
    targets: [
        .target(name: "MedLedgerCore", dependencies: [crypto]),
        .target(name: "MedLedgerContracts", dependencies: ["MedLedgerCore"]),
        .target(name: "MedLedgerConsensus", dependencies: ["MedLedgerCore"]),
        .target(name: "MedLedgerVault", dependencies: ["MedLedgerCore", crypto]),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(name: "MedLedgerStorage", dependencies: ["MedLedgerCore", "CSQLite"]),
        // The PostgreSQL ledger store (`node start --database postgres://…`), in its own target so
        // that only what needs it (the CLI, the bench's baseline, the storage tests) builds postgres-nio.
        .target(
            name: "MedLedgerPostgres",
            dependencies: [
                "MedLedgerCore", "MedLedgerStorage", logging, nioCore, nioPosix, nioSSL,
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        // The HTTP interface: openapi.json is its single source; Generated/ is written from it by
        // scripts/openapi.sh (types, server routing, client) and checked by CI. Only generated
        // code lives here, so it alone is spared the strict settings below (the generator's
        // unused public imports would fail them).
        .target(
            name: "MedLedgerHTTPInterface", dependencies: [openAPIRuntime],
            exclude: ["openapi.json", "openapi-generator-config.yaml"]),
        .target(
            name: "MedLedgerAPIModel",
            dependencies: ["MedLedgerCore", "MedLedgerContracts", "MedLedgerHTTPInterface", openAPIRuntime]),
        .target(
            name: "MedLedgerP2P",
            dependencies: [
                "MedLedgerCore", "MedLedgerConsensus", crypto, logging, nioCore, nioPosix, nioSSL, x509, asn1,
                .product(name: "NIOTLS", package: "swift-nio"),
            ]),
        .target(
            name: "MedLedgerNode",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerConsensus", "MedLedgerVault", "MedLedgerStorage",
                "MedLedgerP2P", crypto, logging, nioCore, nioPosix, metrics, serviceLifecycle,
            ]
        ),
        .target(
            name: "MedLedgerHTTPLimits",
            dependencies: [.product(name: "HummingbirdCore", package: "hummingbird"), nioCore, logging]),
        .target(
            name: "MedLedgerAPI",
            dependencies: [
                "MedLedgerNode", "MedLedgerAPIModel", "MedLedgerHTTPInterface", "MedLedgerFHIR", "MedLedgerHTTPLimits",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"), nioCore, nioSSL, x509, asn1,
                .product(name: "OpenAPIHummingbird", package: "swift-openapi-hummingbird"), openAPIRuntime, httpTypes,
                metrics, prometheus, serviceLifecycle,
            ],
            // The web portal the node serves (see PortalFiles.swift); copied as a tree so its
            // relative paths are the URLs' paths.
            resources: [.copy("Portal")]
        ),
        .target(
            name: "MedLedgerClient",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerVault", "MedLedgerAPIModel", "MedLedgerHTTPInterface",
                asyncHTTPClient, openAPIRuntime, openAPIClientTransport, httpTypes, crypto, nioCore, nioSSL,
            ]),
        // FHIR R4 resource models and the pure mappings from ledger records to them (no server).
        .target(name: "MedLedgerFHIR", dependencies: ["MedLedgerCore", "MedLedgerContracts"]),
        // The gateway an organization runs for its EHR: plain FHIR R4 in, encrypted reports on
        // the ledger through the client (no Node, no Storage); its own encrypted SQLite store
        // keeps the organization's patient identifiers (MRNs) off the ledger.
        .target(
            name: "MedLedgerFHIRGateway",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerVault", "MedLedgerAPIModel", "MedLedgerClient",
                "MedLedgerFHIR", "MedLedgerHTTPLimits", "CSQLite", crypto, logging, asyncHTTPClient, nioCore, httpTypes,
                .product(name: "Hummingbird", package: "hummingbird"),
            ]),
        .target(name: "MedLedgerVerifier", dependencies: ["MedLedgerCore", "MedLedgerContracts", "MedLedgerStorage"]),
        .target(
            name: "MedLedgerDemo",
            dependencies: [
                "MedLedgerAPIModel", "MedLedgerClient", "MedLedgerNode", "MedLedgerAPI", "MedLedgerVerifier", logging,
                serviceLifecycle,
            ]
        ),
        .target(
            name: "MedLedgerSimulator",
            dependencies: [
                "MedLedgerCore", "MedLedgerConsensus", "MedLedgerContracts", "MedLedgerStorage", "MedLedgerP2P",
                "MedLedgerNode",
            ]
        ),
        .target(
            name: "MedLedgerBench",
            dependencies: [
                "MedLedgerCore", "MedLedgerAPIModel", "MedLedgerHTTPInterface", "MedLedgerClient", asyncHTTPClient,
                openAPIRuntime, openAPIClientTransport, .product(name: "Histogram", package: "hdrhistogram-swift"),
                // `BenchWire`: the lean HTTP/1.1 client of the hot calls.
                nioPosix, .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "NIOConcurrencyHelpers", package: "swift-nio"),
                // `bench --baseline postgres` writes the same registrations to one PostgreSQL server.
                "MedLedgerPostgres", nioCore, .product(name: "PostgresNIO", package: "postgres-nio"),
            ]
        ),
        .target(
            name: "MedLedgerTesting",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerConsensus", "MedLedgerVault", "MedLedgerStorage",
                "MedLedgerAPIModel", "MedLedgerNode", nioCore, nioPosix,
            ]
        ),
        .executableTarget(
            name: "medledger",
            dependencies: [
                "MedLedgerAPI", "MedLedgerNode", "MedLedgerClient", "MedLedgerVerifier", "MedLedgerDemo",
                "MedLedgerSimulator", "MedLedgerBench", "MedLedgerFHIRGateway", "MedLedgerPostgres", "MedLedgerStorage",
                "MedLedgerHTTPLimits", logging, prometheus, serviceLifecycle,
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // Reads docs/spec/ for the tests that pin its worked examples; a test helper, not shipped.
        .target(name: "MedLedgerSpecSupport", path: "Tests/MedLedgerSpecSupport"),
        .testTarget(
            name: "MedLedgerCoreTests", dependencies: ["MedLedgerCore", "MedLedgerSpecSupport"],
            resources: [.copy("Vectors")]),
        .testTarget(name: "MedLedgerContractsTests", dependencies: ["MedLedgerContracts", "MedLedgerTesting"]),
        .testTarget(name: "MedLedgerConsensusTests", dependencies: ["MedLedgerConsensus", "MedLedgerTesting"]),
        .testTarget(name: "MedLedgerSimulatorTests", dependencies: ["MedLedgerSimulator"]),
        .testTarget(name: "MedLedgerVaultTests", dependencies: ["MedLedgerVault", "MedLedgerSpecSupport"]),
        // The storage conformance suite runs against SQLite and against PostgreSQL
        // (MEDLEDGER_TEST_POSTGRES_URL; see Tests/MedLedgerStorageTests/StoreUnderTest.swift).
        .testTarget(
            name: "MedLedgerStorageTests",
            dependencies: [
                "MedLedgerStorage", "MedLedgerPostgres", "MedLedgerCore", nioCore, nioPosix,
                .product(name: "PostgresNIO", package: "postgres-nio"),
            ]),
        .testTarget(
            name: "MedLedgerFHIRTests", dependencies: ["MedLedgerFHIR", "MedLedgerContracts", "MedLedgerCore"]),
        .testTarget(
            name: "MedLedgerP2PTests",
            dependencies: [
                "MedLedgerP2P", "MedLedgerConsensus", "MedLedgerAPIModel", "MedLedgerTesting", crypto, logging, nioCore,
                nioPosix, nioSSL, x509, asn1,
            ]),
        .testTarget(
            name: "MedLedgerAPIModelTests",
            dependencies: ["MedLedgerAPIModel", "MedLedgerHTTPInterface", "MedLedgerContracts", "MedLedgerSpecSupport"]),
        .testTarget(
            name: "MedLedgerVerifierTests",
            dependencies: ["MedLedgerVerifier", "MedLedgerDemo", "MedLedgerStorage", "MedLedgerTesting"]),
        .testTarget(
            name: "MedLedgerDemoTests",
            dependencies: [
                "MedLedgerDemo", "MedLedgerNode", "MedLedgerVerifier", "MedLedgerStorage", "MedLedgerTesting",
                asyncHTTPClient,
            ]),
        .testTarget(
            name: "MedLedgerNodeTests",
            dependencies: [
                "MedLedgerNode", "MedLedgerP2P", "MedLedgerClient", "MedLedgerAPIModel", "MedLedgerVerifier",
                "MedLedgerTesting", nioSSL, .product(name: "MetricsTestKit", package: "swift-metrics"),
            ]
        ),
        .testTarget(
            name: "MedLedgerClientTests",
            dependencies: [
                "MedLedgerClient", "MedLedgerVault", "MedLedgerContracts", "MedLedgerCore", "MedLedgerAPIModel",
            ]
        ),
        .testTarget(
            name: "MedLedgerFHIRGatewayTests",
            dependencies: [
                "MedLedgerFHIRGateway", "MedLedgerAPI", "MedLedgerClient", "MedLedgerNode", "MedLedgerTesting",
                "MedLedgerAPIModel", "MedLedgerHTTPLimits", asyncHTTPClient, logging, nioCore, nioPosix,
            ]),
        .testTarget(
            name: "MedLedgerAPITests",
            dependencies: [
                "MedLedgerAPI", "MedLedgerAPIModel", "MedLedgerHTTPInterface", "MedLedgerClient", "MedLedgerTesting",
                "MedLedgerHTTPLimits", prometheus, asyncHTTPClient, nioCore, nioPosix,
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
        // The bench's workloads run briefly against a node in the test process (no timings asserted).
        .testTarget(
            name: "MedLedgerBenchTests",
            dependencies: [
                "MedLedgerBench", "MedLedgerAPI", "MedLedgerClient", "MedLedgerTesting", "MedLedgerNode",
                "MedLedgerCore", "MedLedgerAPIModel", logging,
            ]),
    ],
    swiftLanguageModes: [.v6]
)

// One set of compiler settings for every target of ours: existential types spelled `any`,
// so a protocol used as a type is never mistaken for a generic constraint, and no warning
// left standing (a warning is where the next bug hides).
let strictSettings: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .treatAllWarnings(as: .error)]
for target in package.targets where target.type != .system && target.name != "MedLedgerHTTPInterface" {
    target.swiftSettings = (target.swiftSettings ?? []) + strictSettings
}

// libFuzzer targets (see docs/fuzzing.md, scripts/fuzz.sh). Only with MEDLEDGER_FUZZ=1, so a
// normal `swift build` / `swift test` never sees them: they call libFuzzer's driver, which
// only links when built with `-sanitize=fuzzer`.
if Context.environment["MEDLEDGER_FUZZ"] == "1" {
    let fuzzTargets: [(name: String, dependencies: [Target.Dependency])] = [
        ("FuzzTransaction", ["MedLedgerCore"]),
        ("FuzzPayload", ["MedLedgerCore"]),
        ("FuzzBlockHeader", ["MedLedgerCore"]),
        ("FuzzBlockBody", ["MedLedgerCore"]),
        ("FuzzCommitCertificate", ["MedLedgerCore"]),
        ("FuzzGenesis", ["MedLedgerCore"]),
        ("FuzzPeerFrame", ["MedLedgerP2P", .product(name: "NIOCore", package: "swift-nio")]),
        ("FuzzPeerMessage", ["MedLedgerP2P", "MedLedgerConsensus"]),
        ("FuzzHandshake", ["MedLedgerP2P"]),
        ("FuzzKeyFile", ["MedLedgerCore"]),
        ("FuzzRequestAuth", ["MedLedgerAPIModel", "MedLedgerContracts"]),
        ("FuzzAPIBody", ["MedLedgerAPI", "MedLedgerAPIModel", "MedLedgerHTTPInterface", "MedLedgerNode"]),
        ("FuzzFHIRInput", ["MedLedgerAPI", "MedLedgerCore"]),
        ("FuzzFHIRBody", ["MedLedgerFHIRGateway"]),
        // Not a fuzz target: writes the seed corpora (see scripts/fuzz.sh seeds).
        ("FuzzSeeds", ["MedLedgerP2P", "MedLedgerAPIModel", "MedLedgerConsensus", "MedLedgerContracts"]),
    ]
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    for target in fuzzTargets {
        package.targets.append(
            .executableTarget(
                name: target.name, dependencies: ["CLibFuzzer"] + target.dependencies,
                path: "Fuzz/Targets/\(target.name)"))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
