import Foundation
import Histogram

/// One kind of operation in the mixed workload.
public enum MixedOperation: String, CaseIterable, Sendable {
    case registration = "register"
    case submission = "submit"
    case approval = "approve"
    case grant
    case read
    case audit

    /// Whether the operation commits a transaction (an audit query only reads).
    public var commits: Bool { self != .audit }
}

/// What one kind of operation did in a run.
public struct OperationSummary: Sendable {
    public let operation: MixedOperation
    public let count: Int
    public let perSecond: Double
    public let p50Milliseconds: Double
    public let p99Milliseconds: Double
    /// Report bytes moved per second, in MB (10^6 bytes), for submissions and reads.
    public let megabytesPerSecond: Double?
}

/// Latencies per operation kind (HdrHistogram, microseconds), completed episodes, and the
/// failures, shared by the mixed workload's workers.
actor OperationRecorder {
    private var histograms: [MixedOperation: Histogram<UInt64>] = [:]
    private var transactions = Histogram<UInt64>(
        highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    private(set) var episodesStarted = 0
    private(set) var episodesCompleted = 0
    private(set) var failures: [String] = []
    private let start = DispatchTime.now().uptimeNanoseconds
    private var lastDone: UInt64 = 0

    /// Takes one episode if the run has room for it: before `end` and under `maxEpisodes`.
    func claimEpisode(end: UInt64, maxEpisodes: Int?) -> Bool {
        guard DispatchTime.now().uptimeNanoseconds < end else { return false }
        if let maxEpisodes, episodesStarted >= maxEpisodes { return false }
        episodesStarted += 1
        return true
    }

    func record(_ operation: MixedOperation, nanoseconds: UInt64) {
        let micros = nanoseconds / 1_000
        var histogram =
            histograms[operation]
            ?? Histogram<UInt64>(highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
        _ = histogram.record(micros)
        histograms[operation] = histogram
        if operation.commits { _ = transactions.record(micros) }
        lastDone = DispatchTime.now().uptimeNanoseconds
    }

    func completed() { episodesCompleted += 1 }

    func failed(_ error: any Error) { failures.append("\(error)") }

    /// Seconds from the recorder's creation (the start of the load) to the last operation.
    var elapsedSeconds: Double { Double(lastDone - min(start, lastDone)) / 1e9 }

    func summaries(reportBytes: Int) -> [OperationSummary] {
        let seconds = elapsedSeconds
        return MixedOperation.allCases.map { operation in
            let histogram = histograms[operation]
            let count = Int(histogram?.totalCount ?? 0)
            let perSecond = seconds > 0 ? Double(count) / seconds : 0
            let movesReports = operation == .submission || operation == .read
            return OperationSummary(
                operation: operation, count: count, perSecond: perSecond,
                p50Milliseconds: Double(histogram?.valueAtPercentile(50) ?? 0) / 1_000,
                p99Milliseconds: Double(histogram?.valueAtPercentile(99) ?? 0) / 1_000,
                megabytesPerSecond: movesReports ? perSecond * Double(reportBytes) / 1e6 : nil)
        }
    }

    /// Committed transactions (every operation but audits): count and latency percentiles.
    var transactionTotals: (count: Int, p50Milliseconds: Double, p99Milliseconds: Double) {
        (
            Int(transactions.totalCount), Double(transactions.valueAtPercentile(50)) / 1_000,
            Double(transactions.valueAtPercentile(99)) / 1_000
        )
    }
}
