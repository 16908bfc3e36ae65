import Benchmark

/// Hot paths of a node, each with its time and malloc count (issue 11, item 6). Run them with
/// scripts/benchmarks.sh; docs/performance.md keeps a run's table.
let benchmarks: @Sendable () -> Void = {
    let chain = Chain()
    encodingBenchmarks(chain: chain)
    executionBenchmarks(chain: chain)
    reportPathBenchmarks(chain: chain)
}
