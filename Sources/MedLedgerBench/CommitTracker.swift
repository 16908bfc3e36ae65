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

    func submitted(_ hash: Hash256, at nanos: UInt64) {
        submittedAt[hash] = nanos
        if firstSubmit == nil { firstSubmit = nanos }
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
            _ = histogram.record((nanos - min(start, nanos)) / 1_000)  // microseconds
        }
    }

    var outstanding: Int { submittedAt.count }

    func waitForOutstanding(timeoutSeconds: Double) async {
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds * 1e9)
        while !submittedAt.isEmpty, DispatchTime.now().uptimeNanoseconds < deadline {
            try? await Task.sleep(nanoseconds: 20_000_000)
        }
    }

    func watch(client: BenchHTTP, fromHeight: Int) async throws {
        var next = fromHeight + 1
        while !Task.isCancelled {
            let height = try await client.status(node: 0).height
            while next <= height {
                let hashes = try await client.blockTransactions(height: UInt64(next))
                committed(hashes, at: DispatchTime.now().uptimeNanoseconds)
                next += 1
            }
            try await Task.sleep(nanoseconds: 10_000_000)
        }
    }

    func result(ceiling: Ceiling, ceilingAfter: Ceiling) -> LoadGenerator.Result {
        let elapsed = Double(lastCommit - min(firstSubmit ?? lastCommit, lastCommit)) / 1e9
        return LoadGenerator.Result(
            submitted: committed + submittedAt.count + rejected, committed: committed, rejected: rejected,
            txPerSecond: elapsed > 0 ? Double(committed) / elapsed : 0,
            p50Milliseconds: Double(histogram.valueAtPercentile(50)) / 1_000,
            p99Milliseconds: Double(histogram.valueAtPercentile(99)) / 1_000,
            ceiling: ceiling, ceilingAfter: ceilingAfter)
    }
}
