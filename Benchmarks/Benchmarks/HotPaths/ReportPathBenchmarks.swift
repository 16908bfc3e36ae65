import Benchmark
import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerStorage
import MedLedgerVault

/// Issue 11's single-node path: a 1 MB report encrypted, stored and registered, 150 MB/s or
/// more. MB here is 10^6 bytes, for the report and for the rate.
let reportBytes = 1_000_000
let megabytesPerSecond = BenchmarkMetric.custom("MB/s (plaintext)", polarity: .prefersLarger, useScalingFactor: false)

func reportPathBenchmarks(chain: Chain) {
    let metrics = hotPathMetrics + [megabytesPerSecond]
    Benchmark("1 MB report: seal (AES-GCM, key envelopes, shares)", configuration: quick(metrics)) { benchmark, path in
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let sealed = path.seal()
        benchmark.stopMeasurement()
        record(benchmark, since: start)
        blackHole(sealed)
    } setup: {
        try ReportPath(chain: chain)
    } teardown: {
        ReportPath.removeDirectories()
    }

    Benchmark("1 MB report: store (FileBlobStore.put, fsync)", configuration: quick(metrics)) { benchmark, path in
        let sealed = path.seal()
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let address = path.store(sealed)
        benchmark.stopMeasurement()
        record(benchmark, since: start)
        path.blobs.remove(address)
    } setup: {
        try ReportPath(chain: chain)
    } teardown: {
        ReportPath.removeDirectories()
    }

    Benchmark("1 MB report: register (sign, verify, execute, state root)", configuration: quick(metrics)) {
        benchmark, path in
        let sealed = path.seal()
        var state = path.state
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let receipt = path.register(sealed, in: &state)
        blackHole(state.takeChanges())
        blackHole(state.stateRoot())
        benchmark.stopMeasurement()
        record(benchmark, since: start)
        precondition(receipt.code == .ok, "the report is accepted: \(receipt.code)")
    } setup: {
        try ReportPath(chain: chain)
    } teardown: {
        ReportPath.removeDirectories()
    }

    Benchmark("1 MB report: seal, store and register (the whole path)", configuration: quick(metrics)) {
        benchmark, path in
        var state = path.state
        let start = ContinuousClock.now
        benchmark.startMeasurement()
        let sealed = path.seal()
        let address = path.store(sealed)
        let receipt = path.register(sealed, in: &state)
        blackHole(state.takeChanges())
        blackHole(state.stateRoot())
        benchmark.stopMeasurement()
        record(benchmark, since: start)
        precondition(receipt.code == .ok, "the report is accepted: \(receipt.code)")
        path.blobs.remove(address)
    } setup: {
        try ReportPath(chain: chain)
    } teardown: {
        ReportPath.removeDirectories()
    }
}

/// Plaintext megabytes per second of the measured part (the benchmark's own clock also runs).
private func record(_ benchmark: Benchmark, since start: ContinuousClock.Instant) {
    let elapsed = ContinuousClock.now - start
    let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    benchmark.measurement(megabytesPerSecond, Int((Double(reportBytes) / 1e6 / seconds).rounded()))
}
