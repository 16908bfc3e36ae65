import Foundation
import Histogram
import MedLedgerCore

/// Submit and commit times by transaction hash; latency percentiles in an HdrHistogram.
actor CommitTracker {
    private var submittedAt: [Hash256: UInt64] = [:]
    private var firstSubmit: UInt64?
    private var lastCommit: UInt64 = 0
    private var committed = 0
    private(set) var rejected = 0
    private var histogram = Histogram<UInt64>(
        highestTrackableValue: 600_000_000, numberOfSignificantValueDigits: .three)
    /// Each commit's submission time and latency, for `LatencyByPart`: at most the 200,000
    /// transactions a run signs, 16 bytes each.
    private var samples: [(submittedNanos: UInt64, latencyMicros: UInt64)] = []

    func submitted(_ hashes: [Hash256], at nanos: UInt64) {
        submitted(hashes, dueAt: Array(repeating: nanos, count: hashes.count))
    }

    /// Paced transactions, each timed from when the schedule made it due.
    func submitted(_ hashes: [Hash256], dueAt times: [UInt64]) {
        precondition(hashes.count == times.count, "one time per transaction")
        for (hash, time) in zip(hashes, times) { submittedAt[hash] = time }
        if firstSubmit == nil, let first = times.first { firstSubmit = first }
    }

    func rejected(_ hash: Hash256) {
        rejected += 1
        submittedAt[hash] = nil
    }

    func committed(_ hashes: [String], at nanos: UInt64) {
        for hex in hashes {
            guard let hash = Hash256(hex: hex), let start = submittedAt.removeValue(forKey: hash) else { continue }
            committed += 1
            lastCommit = nanos
            let micros = (nanos - min(start, nanos)) / 1_000
            _ = histogram.record(micros)
            samples.append((start, micros))
        }
    }

    var outstanding: Int { submittedAt.count }

    func waitForOutstanding(timeoutSeconds: Double) async {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds * 1e9)
        while !submittedAt.isEmpty, DispatchTime.now().uptimeNanoseconds < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    /// Asks node 0 for the next block, which it answers as soon as the block commits
    /// (`?wait=`), and takes the answer's arrival as its transactions' commit time.
    ///
    /// - Asking for the block itself, rather than for the status and then the block, leaves
    ///   one round trip out of every latency: on a loaded machine a round trip to a node took
    ///   about 20 ms (p90 about 40 ms).
    /// - Asking again 10 ms after each 404, as before, sent node 0 about a hundred requests a
    ///   second. Run beside this watcher at half load, it saw blocks as soon at the median,
    ///   but one in ten 7 ms or more later and one in a hundred about 30 ms later.
    ///
    /// Both in docs/performance.md.
    func watch(client: BenchHTTP, fromHeight: Int) async throws {
        var next = UInt64(fromHeight + 1)
        while !Task.isCancelled {
            // The node answers when the block commits, or after a second without it.
            guard let hashes = try await client.committedTransactions(height: next) else { continue }
            committed(hashes, at: DispatchTime.now().uptimeNanoseconds)
            next += 1
        }
    }

    func result(ceiling: Ceiling, ceilingAfter: Ceiling) -> LoadGenerator.Result {
        let elapsed = Double(lastCommit - min(firstSubmit ?? lastCommit, lastCommit)) / 1e9
        var result = LoadGenerator.Result(
            submitted: committed + submittedAt.count + rejected, committed: committed, rejected: rejected,
            txPerSecond: elapsed > 0 ? Double(committed) / elapsed : 0,
            p50Milliseconds: Double(histogram.valueAtPercentile(50)) / 1_000,
            p99Milliseconds: Double(histogram.valueAtPercentile(99)) / 1_000,
            ceiling: ceiling, ceilingAfter: ceilingAfter)
        result.latencyByPart = LatencyByPart(samples: samples)
        return result
    }
}
