import Foundation
import MedLedgerCore

/// Sends pre-signed transactions on a schedule with a bounded number in flight.
struct Submitter: Sendable {
    static let batchMaxCount = 200
    let client: BenchHTTP
    let tracker: CommitTracker
    let rate: Double?
    let durationSeconds: Double
    let concurrency: Int
    /// How long a paced run sleeps between wake-ups (the burst never sleeps).
    let sendEveryMilliseconds: Int

    /// Every `sendEveryMilliseconds`, sends what is due by the schedule (all of it at the
    /// maximum rate) in batches, round-robin over the nodes, with at most `concurrency` in
    /// flight.
    ///
    /// At a fixed rate a transaction's latency counts from when the schedule made it due, not
    /// from when its batch left: the wait for the next batch and any lateness of the bench
    /// itself (a busy machine delays its sending too) are in the figure, not left out of it.
    /// At the maximum rate everything is due at once, and latency counts from the send.
    /// - Returns: how late paced batches left (nil at the maximum rate).
    @discardableResult
    func submit(_ transactions: [Transaction]) async throws -> SendLag? {
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(durationSeconds * 1e9)
        // Transaction i is due i / rate seconds after the start.
        let dueAt: (Int) -> UInt64 = { index in rate.map { start + UInt64(Double(index) / $0 * 1e9) } ?? start }
        var lags: [UInt64] = []
        let wakeUpInterval = UInt64(sendEveryMilliseconds) * 1_000_000
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            var inFlight = 0
            var batchNumber = 0
            while next < transactions.count {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now < end else { break }
                let due =
                    rate.map { min(transactions.count, Int(Double(now - start) / 1e9 * $0) + 1) } ?? transactions.count
                guard due > next else {
                    try await Task.sleep(nanoseconds: wakeUpInterval)
                    continue
                }
                if inFlight >= concurrency {
                    try await group.next()
                    inFlight -= 1
                }
                let batch = transactions[next..<min(due, next + Self.batchMaxCount)]
                if rate == nil {
                    await tracker.submitted(batch.map(\.hash), at: now)
                } else {
                    let sent = DispatchTime.now().uptimeNanoseconds
                    lags.append(sent - min(sent, dueAt(next)))
                    await tracker.submitted(batch.map(\.hash), dueAt: batch.indices.map(dueAt))
                }
                let node = batchNumber
                group.addTask {
                    for refused in try await client.submit(batch: batch, node: node) { await tracker.rejected(refused) }
                }
                inFlight += 1
                batchNumber += 1
                next += batch.count
                // Paced: everything due is sent, so wait for the next wake-up rather than look
                // again at once (which would send the one or two that came due meanwhile).
                if rate != nil, next >= due, next < transactions.count {
                    try await Task.sleep(nanoseconds: wakeUpInterval)
                }
            }
            try await group.waitForAll()
        }
        return rate == nil ? nil : SendLag(nanoseconds: lags)
    }
}

/// How late the bench sent paced transactions: each batch's first (oldest) transaction,
/// from the moment the schedule made it due to the moment its batch left.
public struct SendLag: Sendable, CustomStringConvertible {
    public let batches: Int
    public let meanMilliseconds: Double
    public let p99Milliseconds: Double

    init?(nanoseconds lags: [UInt64]) {
        guard !lags.isEmpty else { return nil }
        let sorted = lags.sorted()
        batches = sorted.count
        meanMilliseconds = Double(sorted.reduce(0, +)) / Double(sorted.count) / 1e6
        p99Milliseconds = Double(sorted[min(sorted.count - 1, sorted.count * 99 / 100)]) / 1e6
    }

    public var description: String {
        String(
            format:
                "the bench sent %d batches, each %.1f ms after its oldest transaction was due (mean; p99 %.1f ms); latency counts from when each was due",
            batches, meanMilliseconds, p99Milliseconds)
    }
}
