import Foundation

/// Issue 11 item 1's latency figure in one run: a burst finds the rate that saturates the
/// nodes, then the same nodes are loaded at half of it, paced, and submit-to-commit is timed.
/// Picking the half rate by hand from an earlier run mixed two sittings of a machine whose
/// speed drifts between minutes; here both halves come from the same run.
public struct HalfLoad: Sendable {
    /// Item 1's goal for p99 submit-to-commit at half of the saturating rate.
    public static let goalP99Milliseconds = 250.0

    public struct Result: Sendable {
        /// The burst: everything at once; its committed tx/s is the saturating rate.
        public let burst: LoadGenerator.Result
        /// The paced run at `halfRate`.
        public let paced: LoadGenerator.Result
        public let halfRate: Double
        /// How often the paced part sent what had come due (`--send-every-ms`).
        public let sendEveryMilliseconds: Int

        public var meetsGoal: Bool { paced.p99Milliseconds <= HalfLoad.goalP99Milliseconds }

        /// The line scripts parse: the fields keep their order; new ones go last.
        public var resultLine: String {
            String(
                format:
                    "RESULT_HALF_LOAD saturating_tx_per_s=%.1f half_rate_tx_per_s=%.1f committed_tx_per_s=%.1f p50_ms=%.1f p99_ms=%.1f goal_p99_ms=%.0f met=%@ burst_ratio=%.3f send_every_ms=%d",
                burst.txPerSecond, halfRate, paced.txPerSecond, paced.p50Milliseconds, paced.p99Milliseconds,
                HalfLoad.goalP99Milliseconds, meetsGoal ? "yes" : "no", burst.ratio,
                sendEveryMilliseconds)
        }
    }

    let nodes: [URL]
    let durationSeconds: Double
    let concurrency: Int
    /// The paced part's sending interval (`LoadGenerator.Options.sendEveryMilliseconds`).
    let sendEveryMilliseconds: Int
    let log: @Sendable (String) -> Void

    public init(
        nodes: [URL], durationSeconds: Double, concurrency: Int,
        sendEveryMilliseconds: Int = LoadGenerator.Options.defaultSendEveryMilliseconds,
        log: @escaping @Sendable (String) -> Void
    ) {
        self.nodes = nodes
        self.durationSeconds = durationSeconds
        self.concurrency = concurrency
        self.sendEveryMilliseconds = sendEveryMilliseconds
        self.log = log
    }

    /// The burst, its summary, then the paced run at half its committed rate. Each run waits
    /// for the nodes to be idle and measures its own ceiling first.
    public func run() async throws -> Result {
        log("burst, to find the saturating rate:")
        let burst = try await LoadGenerator(options: options(rate: nil), log: log).run()
        for line in burst.summaryLines { log(line) }
        log(burst.resultLine)
        guard burst.committed > 0, burst.txPerSecond > 0 else {
            throw BenchError("the burst committed nothing, so there is no saturating rate to halve")
        }
        let halfRate = burst.txPerSecond / 2
        log(String(format: "half load: %.1f tx/s, paced, sent every %d ms:", halfRate, sendEveryMilliseconds))
        let paced = try await LoadGenerator(options: options(rate: halfRate), log: log).run()
        for line in paced.summaryLines { log(line) }
        log(paced.resultLine)
        return Result(burst: burst, paced: paced, halfRate: halfRate, sendEveryMilliseconds: sendEveryMilliseconds)
    }

    private func options(rate: Double?) -> LoadGenerator.Options {
        LoadGenerator.Options(
            nodes: nodes, durationSeconds: durationSeconds, rate: rate, concurrency: concurrency,
            sendEveryMilliseconds: sendEveryMilliseconds)
    }
}
