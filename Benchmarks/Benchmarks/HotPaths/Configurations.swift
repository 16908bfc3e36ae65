import Benchmark

/// What every benchmark records: time, CPU, and the interposer's malloc counts.
let hotPathMetrics: [BenchmarkMetric] = [.wallClock, .cpuTotal, .mallocCountTotal, .throughput]

/// Short runs: the machine is shared, and the figures are read as ratios within one run.
func quick(_ metrics: [BenchmarkMetric] = hotPathMetrics, seconds: Int = 2) -> Benchmark.Configuration {
    .init(metrics: metrics, warmupIterations: 2, maxDuration: .seconds(seconds), maxIterations: 10_000)
}
