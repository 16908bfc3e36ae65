import Benchmark

/// What every benchmark records: wall time and the interposer's malloc counts. (CPU time is
/// left out: on Linux it comes in 10 ms ticks, coarser than most of these operations.)
let hotPathMetrics: [BenchmarkMetric] = [.wallClock, .mallocCountTotal, .throughput]

/// Short runs: the machine is shared, and the figures are read as ratios within one run.
func quick(_ metrics: [BenchmarkMetric] = hotPathMetrics, seconds: Int = 2) -> Benchmark.Configuration {
    // Exact malloc counts rather than thousands: a change of a few allocations per
    // transaction is what these are for.
    .init(
        metrics: metrics, units: [.mallocCountTotal: .count], warmupIterations: 2, maxDuration: .seconds(seconds),
        maxIterations: 10_000)
}
