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

    /// Every few milliseconds, sends what is due by the schedule (all of it at the maximum
    /// rate) in batches, round-robin over the nodes, with at most `concurrency` in flight.
    func submit(_ transactions: [Transaction]) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(durationSeconds * 1e9)
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
                    try await Task.sleep(nanoseconds: 2_000_000)
                    continue
                }
                if inFlight >= concurrency {
                    try await group.next()
                    inFlight -= 1
                }
                let batch = transactions[next..<min(due, next + Self.batchMaxCount)]
                await tracker.submitted(batch.map(\.hash), at: now)
                let node = batchNumber
                group.addTask {
                    for refused in try await client.submit(batch: batch, node: node) { await tracker.rejected(refused) }
                }
                inFlight += 1
                batchNumber += 1
                next += batch.count
            }
            try await group.waitForAll()
        }
    }
}
