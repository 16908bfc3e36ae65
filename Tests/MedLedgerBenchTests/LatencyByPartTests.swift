import MedLedgerCore
import Testing

@testable import MedLedgerBench

/// A run's latency split into thirds by submission time, so a slow start shows as such.
@Suite struct LatencyByPartTests {
    @Test func aSlowStartShowsInTheFirstThirdOnly() throws {
        // 300 transactions submitted 10 ms apart over 3 s: the first 100 took 400 ms, the
        // rest 100 ms, except one of the last 100 at 900 ms.
        let samples: [(submittedNanos: UInt64, latencyMicros: UInt64)] = (0..<300).map { index in
            let latency: UInt64 = index < 100 ? 400_000 : (index == 250 ? 900_000 : 100_000)
            return (UInt64(index) * 10_000_000, latency)
        }
        let parts = try #require(LatencyByPart(samples: samples)).parts
        #expect(parts.map(\.transactions) == [100, 100, 100])
        #expect(parts[0].p50Milliseconds == 400 && parts[0].p99Milliseconds == 400)
        #expect(parts[1].p50Milliseconds == 100 && parts[1].p99Milliseconds == 100)
        // One slow transaction in 100 is the 99th percentile's neighbour, not the 99th itself.
        #expect(parts[2].p50Milliseconds == 100 && parts[2].p99Milliseconds == 100)
    }

    @Test func theLastInstantBelongsToTheLastThird() throws {
        let samples: [(submittedNanos: UInt64, latencyMicros: UInt64)] = [(0, 1_000), (30, 2_000), (90, 3_000)]
        let parts = try #require(LatencyByPart(samples: samples)).parts
        #expect(parts.map(\.transactions) == [1, 1, 1])
        #expect(parts.map(\.p99Milliseconds) == [1, 2, 3])
    }

    @Test func oneInstantFillsTheFirstThirdAndNothingIsInvented() throws {
        let parts = try #require(LatencyByPart(samples: [(5, 7_000), (5, 9_000)])).parts
        #expect(parts.map(\.transactions) == [2, 0, 0])
        #expect(parts[0].p50Milliseconds == 7 && parts[0].p99Milliseconds == 9)
        #expect(parts[1].p99Milliseconds == 0)
        #expect(LatencyByPart(samples: []) == nil)
    }

    @Test func theTrackerSplitsWhatCommittedAndTheSummarySaysIt() async throws {
        let tracker = CommitTracker()
        let hashes = (0..<3).map { Hash256.of(Array("tx\($0)".utf8)) }
        // Due at 0, 10 and 20 ms; committed at 50 ms: 50, 40 and 30 ms.
        await tracker.submitted(hashes, dueAt: [0, 10_000_000, 20_000_000])
        await tracker.committed(hashes.map(\.hex), at: 50_000_000)
        let result = await tracker.result(ceiling: PacedTimingTests.ceiling, ceilingAfter: PacedTimingTests.ceiling)
        let byPart = try #require(result.latencyByPart)
        #expect(byPart.parts.map(\.p99Milliseconds) == [50, 40, 30])
        #expect(result.summaryLines.contains(byPart.description))
        #expect(byPart.description.contains("first 1 tx, p50 50.0 ms, p99 50.0 ms"))
    }
}
