// swift-tools-version:6.1
import PackageDescription
import Foundation

// Dependencies point downward only:
// Core <- Contracts / Vault <- Storage <- Node <- API <- medledger (CLI).
let package = Package(
    name: "MedLedger",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "medledger", targets: ["medledger"]),
        .library(name: "MedLedgerCore", targets: ["MedLedgerCore"]),
        .library(name: "MedLedgerNode", targets: ["MedLedgerNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift.git", from: "0.2.0"),
    ],
    targets: [
        .target(
            name: "MedLedgerCore",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")]
        ),
        .target(name: "MedLedgerContracts", dependencies: ["MedLedgerCore"]),
        .target(name: "MedLedgerConsensus", dependencies: ["MedLedgerCore"]),
        .target(
            name: "MedLedgerVault",
            dependencies: ["MedLedgerCore", .product(name: "Crypto", package: "swift-crypto")]
        ),
        .systemLibrary(name: "CSQLite", path: "Sources/CSQLite"),
        .target(
            name: "MedLedgerStorage",
            dependencies: ["MedLedgerCore", "CSQLite"]
        ),
        .target(
            name: "MedLedgerNode",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerConsensus", "MedLedgerVault", "MedLedgerStorage",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Histogram", package: "hdrhistogram-swift"),
            ]
        ),
        .target(
            name: "MedLedgerAPI",
            dependencies: [
                "MedLedgerNode",
                .product(name: "Hummingbird", package: "hummingbird"),
            ]
        ),
        .target(
            name: "MedLedgerTesting",
            dependencies: [
                "MedLedgerCore", "MedLedgerContracts", "MedLedgerConsensus", "MedLedgerVault", "MedLedgerStorage",
                "MedLedgerNode",
            ]
        ),
        .executableTarget(
            name: "medledger",
            dependencies: [
                "MedLedgerAPI", "MedLedgerNode", "MedLedgerTesting",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "MedLedgerCoreTests", dependencies: ["MedLedgerCore"], resources: [.copy("Vectors")]),
        .testTarget(name: "MedLedgerContractsTests", dependencies: ["MedLedgerContracts", "MedLedgerTesting"]),
        .testTarget(name: "MedLedgerConsensusTests", dependencies: ["MedLedgerConsensus", "MedLedgerTesting"]),
        .testTarget(name: "MedLedgerVaultTests", dependencies: ["MedLedgerVault"]),
        .testTarget(name: "MedLedgerStorageTests", dependencies: ["MedLedgerStorage"]),
        .testTarget(name: "MedLedgerNodeTests", dependencies: ["MedLedgerNode", "MedLedgerTesting"]),
        .testTarget(
            name: "MedLedgerAPITests",
            dependencies: [
                "MedLedgerAPI", "MedLedgerTesting",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
            ]
        ),
    ],
    swiftLanguageModes: [.v6]
)

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
        ("FuzzPeerFrame", ["MedLedgerNode", .product(name: "NIOCore", package: "swift-nio")]),
        ("FuzzPeerMessage", ["MedLedgerNode", "MedLedgerConsensus"]),
        ("FuzzHandshake", ["MedLedgerNode", .product(name: "Crypto", package: "swift-crypto")]),
        ("FuzzKeyFile", ["MedLedgerNode"]),
        ("FuzzRequestAuth", ["MedLedgerNode", "MedLedgerContracts"]),
        ("FuzzAPIBody", ["MedLedgerAPI", "MedLedgerNode"]),
        // Not a fuzz target: writes the seed corpora (see scripts/fuzz.sh seeds).
        ("FuzzSeeds", ["MedLedgerNode", "MedLedgerConsensus", "MedLedgerContracts"]),
    ]
    package.targets.append(.target(name: "CLibFuzzer", path: "Fuzz/CLibFuzzer"))
    for target in fuzzTargets {
        package.targets.append(.executableTarget(
            name: target.name, dependencies: ["CLibFuzzer"] + target.dependencies, path: "Fuzz/Targets/\(target.name)"))
        package.products.append(.executable(name: target.name, targets: [target.name]))
    }
}
