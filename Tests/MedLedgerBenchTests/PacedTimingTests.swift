import MedLedgerCore
import Testing

@testable import MedLedgerBench

/// A paced run times each transaction from when it was due, and says how late the bench sent.
@Suite struct PacedTimingTests {
    static let ceiling = Ceiling(
        verificationsPerSecondPerCore: 10_000, cores: 2, validators: 4, othersBusyCores: 0, nodesIdle: true)

    @Test func latencyCountsFromTheDueTimeNotTheSend() async {
        let tracker = CommitTracker()
        let hashes = [Hash256.of(Array("a".utf8)), Hash256.of(Array("b".utf8))]
        // Due 10 ms and 4 ms before the commit at 20 ms.
        await tracker.submitted(hashes, dueAt: [10_000_000, 16_000_000])
        await tracker.committed(hashes.map(\.hex), at: 20_000_000)

        let result = await tracker.result(ceiling: Self.ceiling, ceilingAfter: Self.ceiling)
        #expect(result.committed == 2)
        #expect(abs(result.p99Milliseconds - 10) < 0.05)
        #expect(abs(result.p50Milliseconds - 4) < 0.05)
    }

    @Test func sendLagIsTheMeanAndTheNinetyNinthPercentile() throws {
        // 99 batches sent 1 ms late and one 51 ms late.
        let lag = try #require(SendLag(nanoseconds: Array(repeating: 1_000_000, count: 99) + [51_000_000]))
        #expect(abs(lag.meanMilliseconds - 1.5) < 1e-9)
        #expect(lag.p99Milliseconds == 51)
        #expect(lag.batches == 100)
        #expect(
            lag.description.hasPrefix("the bench sent 100 batches, each 1.5 ms after its oldest transaction was due"))
        #expect(SendLag(nanoseconds: []) == nil)
    }
}
