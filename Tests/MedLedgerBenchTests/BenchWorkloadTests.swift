import Foundation
import Logging
import MedLedgerAPI
import MedLedgerAPIModel
import MedLedgerBench
import MedLedgerNode
import MedLedgerTesting
import Testing

/// Both workloads run briefly against one node serving HTTP in this process. Nothing here
/// asserts a speed: only that every kind of operation happened, committed and was counted.
@Suite struct BenchWorkloadTests {
    /// A node that produces blocks and serves its API on a free loopback port; call the
    /// closure to stop both.
    static func servingNode() async throws -> (TestNode, URL, () -> Void) {
        let node = try TestNode.make(
            configuration: NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 200))
        let producer = Task { await node.node.runProducer() }
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.bench-test")
        logger.logLevel = .critical  // cancelling the server task logs channel errors
        let server = Task {
            try await APIServer.run(node: node.node, host: "127.0.0.1", port: 0, logger: logger) { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var iterator = stream.makeAsyncIterator()
        guard let port = await iterator.next() else { throw CancellationError() }
        return (
            node, URL(string: "http://127.0.0.1:\(port)")!,
            {
                server.cancel()
                producer.cancel()
                node.remove()
            }
        )
    }

    @Test(.timeLimit(.minutes(2)))
    func mixedWorkloadRunsEveryOperationKindAndCommitsThem() async throws {
        let (node, url, stop) = try await Self.servingNode()
        defer { stop() }
        let options = MixedWorkload.Options(
            nodes: [url], genesis: node.node.genesis, organizations: [node.lab, node.hospital], durationSeconds: 600,
            maxEpisodes: 3, concurrency: 2, reportBytes: MixedWorkload.Options.defaultReportBytes)
        let result = try await MixedWorkload(options: options, log: { _ in }).run()

        #expect(result.failures.isEmpty, "\(result.failures)")
        #expect(result.episodes == 3)
        for summary in result.operations {
            #expect(summary.count == 3, "\(summary.operation)")
        }
        #expect(result.totals.committed == 15)  // five transactions per episode; audits only read
        let submissions = try #require(result.operations.first { $0.operation == .submission })
        #expect(submissions.megabytesPerSecond != nil)
        #expect(result.totals.ceiling.nodesIdle == true)
        #expect(result.mixedLine.hasPrefix("RESULT_MIXED episodes=3 failures=0 register_count=3"))
        #expect(result.totals.resultLine.hasPrefix("RESULT tx_per_s="))
        #expect(result.totals.resultLine.contains(" ratio="))
        #expect(result.totals.resultLine.contains(" ceiling_after_tx_per_s="))
    }

    @Test(.timeLimit(.minutes(2)))
    func signatureWorkloadCommitsWhatItSubmits() async throws {
        let (_, url, stop) = try await Self.servingNode()
        defer { stop() }
        let options = LoadGenerator.Options(nodes: [url], durationSeconds: 1, rate: 50, concurrency: 2)
        let result = try await LoadGenerator(options: options, log: { _ in }).run()

        #expect(result.rejected == 0)
        #expect(result.committed == result.submitted)
        #expect(result.committed > 0)
        #expect(result.ceiling.nodesIdle == true)
        #expect(result.ceiling.verificationsPerSecondPerCore > 0)
        #expect(result.ceilingAfter.nodesIdle == true)
        #expect(result.ceilingBracketsLoad)
        let fields = result.resultLine.split(separator: " ").map { $0.split(separator: "=").first.map(String.init) }
        #expect(
            fields == [
                "RESULT", "tx_per_s", "p50_ms", "p99_ms", "ceiling_tx_per_s", "ratio", "ceiling_after_tx_per_s",
                "ceiling_before_tx_per_s",
            ])
    }

    /// A longer sending interval gathers what comes due into fewer batches, and the wait shows
    /// as lateness (latency counts from each transaction's due time). Sleeps never end early,
    /// so the bounds hold on a slow machine too.
    @Test(.timeLimit(.minutes(2)))
    func pacedSendingWaitsTheIntervalBetweenBatches() async throws {
        let (_, url, stop) = try await Self.servingNode()
        defer { stop() }
        let options = LoadGenerator.Options(
            nodes: [url], durationSeconds: 1, rate: 200, concurrency: 2, sendEveryMilliseconds: 250)
        let result = try await LoadGenerator(options: options, log: { _ in }).run()

        #expect(result.committed == result.submitted)
        let lag = try #require(result.sendLag)
        // Wake-ups at 0 and at least 250, 500 and 750 ms: the run ends at 1 s.
        #expect((1...4).contains(lag.batches), "\(lag)")
        if lag.batches > 1 {
            // After the first, each batch's oldest transaction came due at most 5 ms after the
            // previous batch left, and waited the rest of the interval.
            #expect(lag.p99Milliseconds >= 240, "\(lag)")
        }
        #expect(result.submitted <= 200)
    }

    @Test(.timeLimit(.minutes(2)))
    func halfLoadPacesTheNodesAtHalfTheBurstsCommittedRate() async throws {
        let (_, url, stop) = try await Self.servingNode()
        defer { stop() }
        let result = try await HalfLoad(nodes: [url], durationSeconds: 0.5, concurrency: 2, log: { _ in }).run()

        #expect(result.burst.committed > 0)
        #expect(result.burst.committed == result.burst.submitted)
        #expect(result.halfRate == result.burst.txPerSecond / 2)
        // Paced: offered half the burst's rate for its duration, and all of it committed.
        #expect(result.paced.submitted <= Int(result.halfRate * 0.5) + 1)
        #expect(result.paced.committed == result.paced.submitted)
        #expect(result.paced.ceiling.nodesIdle == true)
        #expect(result.meetsGoal == (result.paced.p99Milliseconds <= 250))
        let fields = result.resultLine.split(separator: " ").map { $0.split(separator: "=").first.map(String.init) }
        #expect(
            fields == [
                "RESULT_HALF_LOAD", "saturating_tx_per_s", "half_rate_tx_per_s", "committed_tx_per_s", "p50_ms",
                "p99_ms", "goal_p99_ms", "met", "burst_ratio", "send_every_ms",
            ])
        #expect(result.resultLine.hasSuffix(" send_every_ms=2"))
    }
}
