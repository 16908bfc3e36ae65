import Foundation
import MedLedgerCore

/// `medledger bench`: signs transactions ahead of time, submits them to running nodes at a
/// fixed rate (or as fast as the nodes take them), watches blocks for their commits, and
/// measures the ceiling (Ed25519 verifications per second per core × cores ÷ validators)
/// in the same run, so every figure is a ratio on the same machine: before the load and
/// again after it, each time with the nodes checked idle; the ratio uses their mean.
public struct LoadGenerator: Sendable {
    public struct Options: Sendable {
        public var nodes: [URL]
        public var durationSeconds: Double
        /// Transactions per second; nil submits as fast as the nodes accept.
        public var rate: Double?
        public var concurrency: Int
        /// At a fixed rate, how often the bench sends what has come due: one batch per wake-up,
        /// to the next node in turn. Longer means fewer, larger requests; the wait is counted in
        /// each transaction's latency, which starts when it was due.
        public var sendEveryMilliseconds: Int
        public static let defaultSendEveryMilliseconds = 2
        public static let sendEveryMillisecondsRange = 1...1_000
        public init(
            nodes: [URL], durationSeconds: Double, rate: Double?, concurrency: Int = 8,
            sendEveryMilliseconds: Int = defaultSendEveryMilliseconds
        ) {
            self.nodes = nodes
            self.durationSeconds = durationSeconds
            self.rate = rate
            self.concurrency = concurrency
            self.sendEveryMilliseconds = sendEveryMilliseconds
        }
    }

    public struct Result: Sendable {
        public let submitted: Int
        public let committed: Int
        public let rejected: Int
        public let txPerSecond: Double
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
        /// Measured before the load, with the nodes checked idle.
        public let ceiling: Ceiling
        /// Measured after the load, once the nodes were idle again (or 30 s had passed).
        public let ceilingAfter: Ceiling
        /// Where the machine's CPU went while the load ran (nil where /proc is missing).
        public var loadCPU: LoadCPU? = nil
        /// How late a paced run's batches left the bench (nil for a burst).
        public var sendLag: SendLag? = nil
        /// p50 and p99 in each third of the run (nil when nothing committed).
        public var latencyByPart: LatencyByPart? = nil

        /// Whether the ratio's ceiling brackets the load: the nodes were idle for both figures.
        public var ceilingBracketsLoad: Bool { ceiling.nodesIdle && ceilingAfter.nodesIdle }
        /// The ceiling the ratio uses: the mean of the idle figures before and after the load,
        /// or the one before alone when the nodes were not idle after it. Why both: this
        /// machine's one-second figure moves by a third between minutes with the nodes idle
        /// (`docs/performance.md`), so a figure from one side of the load can be far from the
        /// speed the load itself ran at.
        public var ceilingTxPerSecond: Double {
            ceilingBracketsLoad ? (ceiling.txPerSecond + ceilingAfter.txPerSecond) / 2 : ceiling.txPerSecond
        }
        /// Committed tx/s as a share of the idle ceiling.
        public var ratio: Double { ceilingTxPerSecond > 0 ? txPerSecond / ceilingTxPerSecond : 0 }

        /// The line scripts parse: the first four fields keep their order; new ones go last.
        public var resultLine: String {
            String(
                format:
                    "RESULT tx_per_s=%.1f p50_ms=%.1f p99_ms=%.1f ceiling_tx_per_s=%.1f ratio=%.3f ceiling_after_tx_per_s=%.1f ceiling_before_tx_per_s=%.1f",
                txPerSecond, p50Milliseconds, p99Milliseconds, ceilingTxPerSecond, ratio, ceilingAfter.txPerSecond,
                ceiling.txPerSecond)
        }

        /// The human-readable lines before the RESULT line.
        public var summaryLines: [String] {
            [
                "submitted \(submitted), committed \(committed), refused \(rejected)",
                ceiling.describe("before load"),
                ceilingAfter.describe("after load"),
                String(
                    format: "committed %.1f tx/s ÷ idle ceiling %.1f tx/s (%@) = %.3f", txPerSecond,
                    ceilingTxPerSecond,
                    ceilingBracketsLoad
                        ? "the mean of before and after" : "before the load only: the nodes were not idle after it",
                    ratio),
            ] + (loadCPU.map { [$0.description] } ?? []) + (sendLag.map { [$0.description] } ?? [])
                + (latencyByPart.map { [$0.description] } ?? [])
        }
    }

    let options: Options
    let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void) {
        precondition(!options.nodes.isEmpty && options.durationSeconds > 0 && options.concurrency > 0)
        precondition(Options.sendEveryMillisecondsRange.contains(options.sendEveryMilliseconds))
        self.options = options
        self.log = log
    }

    public func run() async throws -> Result {
        let client = BenchHTTP(nodes: options.nodes)
        let status = try await client.status(node: 0)
        log("chain \(status.chainId) at height \(status.height), \(status.validators.count) validator(s)")
        let wanted = Int((options.rate ?? 2_000) * options.durationSeconds)
        // At the maximum rate everything is sent at once, so no more than a mempool holds;
        // a fixed rate paces the sending, so the run may be longer.
        let count = options.rate == nil ? min(wanted, Limits.mempoolMaxTransactions) : min(wanted, 200_000)
        log("signing \(count) transactions ahead of time ...")
        let transactions = Self.presign(count: count, chainID: status.chainId)
        let ceiling = try await Self.idleCeiling(client: client, validators: status.validators.count, log: log)
        let start = try await client.status(node: 0).height
        let tracker = CommitTracker()
        let watcher = Task { try await tracker.watch(client: client, fromHeight: start) }
        log(
            "submitting for \(options.durationSeconds) s\(options.rate.map { " at \($0) tx/s" } ?? " as fast as accepted") ..."
        )
        let submitter = Submitter(
            client: client, tracker: tracker, rate: options.rate,
            durationSeconds: options.durationSeconds, concurrency: options.concurrency,
            sendEveryMilliseconds: options.sendEveryMilliseconds)
        let loadStart = MachineLoad.sample()
        let sendLag = try await submitter.submit(transactions)
        await tracker.waitForOutstanding(timeoutSeconds: 15)
        watcher.cancel()
        let loadCPU = LoadCPU(from: loadStart, to: MachineLoad.sample(), cores: ceiling.cores)
        let after = try await Self.idleCeiling(
            client: client, validators: status.validators.count, when: "after load", log: log)
        var result = await tracker.result(ceiling: ceiling, ceilingAfter: after)
        result.loadCPU = loadCPU
        result.sendLag = sendLag
        return result
    }

    /// Waits (bounded) for every node to have nothing pending, then measures the ceiling.
    static func idleCeiling(
        client: BenchHTTP, validators: Int, when: String = "before load", log: @Sendable (String) -> Void
    ) async throws -> Ceiling {
        log("waiting for the nodes to be idle (0 pending on two polls 1 s apart, at most 30 s) ...")
        let idle = try await NodeIdleness.wait(client: client, log: log)
        log("measuring the Ed25519 ceiling on this machine ...")
        let ceiling = Ceiling.measure(validators: validators, nodesIdle: idle)
        log(ceiling.describe(when))
        return ceiling
    }

    /// Fresh patients registering themselves: independent transactions, no nonce ordering.
    static func presign(count: Int, chainID: String) -> [Transaction] {
        (0..<count).map { _ in
            let keys = IdentityKeys.generate()
            return Transaction(
                chainID: chainID, signer: keys.identityID, keys: keys, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: keys)))
        }
    }
}
