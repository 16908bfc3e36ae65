// swift-tools-version:6.1
import Foundation
import PackageDescription

// The hot-path benchmarks (ordo-one/benchmark): a package of their own, so the main build and
// CI never compile the benchmark tool or its malloc interposer. Run with scripts/benchmarks.sh.
//
// A path dependency's identity is its directory's name, which differs between clones and
// worktrees, so it is read here rather than spelled out.
let root = URL(fileURLWithPath: Context.packageDirectory).deletingLastPathComponent()
let medLedger = root.lastPathComponent.lowercased()

let package = Package(
    name: "MedLedgerBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [
        .package(path: ".."),
        // The interposer trait gives the malloc counts; listing traits leaves the default
        // RuntimeInterposer (ARC counts, a package not available here) off.
        .package(url: "https://github.com/ordo-one/benchmark", exact: "1.38.1", traits: ["MallocInterposer"]),
    ],
    targets: [
        .executableTarget(
            name: "HotPaths",
            dependencies: [
                .product(name: "Benchmark", package: "benchmark"),
                .product(name: "MedLedgerCore", package: medLedger),
                .product(name: "MedLedgerContracts", package: medLedger),
                .product(name: "MedLedgerVault", package: medLedger),
                .product(name: "MedLedgerStorage", package: medLedger),
            ],
            path: "Benchmarks/HotPaths",
            plugins: [.plugin(name: "BenchmarkPlugin", package: "benchmark")]
        )
    ],
    swiftLanguageModes: [.v6]
)
