import Foundation
import Histogram
import MedLedgerCore

/// `medledger bench`: signs transactions ahead of time, submits them to running nodes at a
/// fixed rate (or as fast as the nodes take them), watches blocks for their commits, and
/// measures the ceiling (Ed25519 verifications per second per core × cores ÷ validators)
/// in the same run, so every figure is a ratio on the same machine.
public struct LoadGenerator: Sendable {
    public struct Options: Sendable {
        public var nodes: [URL]
        public var durationSeconds: Double
        /// Transactions per second; nil submits as fast as the nodes accept.
        public var rate: Double?
        public var concurrency: Int
        public init(nodes: [URL], durationSeconds: Double, rate: Double?, concurrency: Int = 8) {
            self.nodes = nodes
            self.durationSeconds = durationSeconds
            self.rate = rate
            self.concurrency = concurrency
        }
    }

    public struct Result: Sendable {
        public let submitted: Int
        public let committed: Int
        public let rejected: Int
        public let txPerSecond: Double
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
        public let verificationsPerSecondPerCore: Double
        public let cores: Int
        public let validators: Int
        public var ceilingTxPerSecond: Double {
            verificationsPerSecondPerCore * Double(cores) / Double(max(validators, 1))
        }

        /// The line scripts parse.
        public var resultLine: String {
            String(
                format: "RESULT tx_per_s=%.1f p50_ms=%.1f p99_ms=%.1f ceiling_tx_per_s=%.1f",
                txPerSecond, p50Milliseconds, p99Milliseconds, ceilingTxPerSecond)
        }
    }

    let options: Options
    let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void) {
        precondition(!options.nodes.isEmpty && options.durationSeconds > 0 && options.concurrency > 0)
        self.options = options
        self.log = log
    }

    public func run() async throws -> Result {
        let client = BenchHTTP(nodes: options.nodes)
        let status = try await client.status(node: 0)
        log("chain \(status.chainId) at height \(status.height), \(status.validators.count) validator(s)")
        let count = Int((options.rate ?? 2_000) * options.durationSeconds)
        log("signing \(count) transactions ahead of time ...")
        // At the maximum rate everything is sent at once, so no more than a mempool holds;
        // a fixed rate paces the sending, so the run may be longer.
        let transactions = Self.presign(
            count: options.rate == nil ? min(count, Limits.mempoolMaxTransactions) : min(count, 200_000),
            chainID: status.chainId)
        let tracker = CommitTracker()
        let watcher = Task { try await tracker.watch(client: client, fromHeight: status.height) }
        log(
            "submitting for \(options.durationSeconds) s\(options.rate.map { " at \($0) tx/s" } ?? " as fast as accepted") ..."
        )
        let submitter = Submitter(
            client: client, tracker: tracker, rate: options.rate,
            durationSeconds: options.durationSeconds, concurrency: options.concurrency)
        try await submitter.submit(transactions)
        await tracker.waitForOutstanding(timeoutSeconds: 15)
        watcher.cancel()
        log("measuring the Ed25519 ceiling on this machine ...")
        let perCore = Self.verificationsPerSecondOnOneCore()
        return await tracker.result(
            perCore: perCore, cores: ProcessInfo.processInfo.activeProcessorCount,
            validators: status.validators.count)
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

    /// Ed25519 verifications per second on one thread, over about one second.
    static func verificationsPerSecondOnOneCore() -> Double {
        let keys = IdentityKeys.generate()
        let message = Array(repeating: UInt8(7), count: 300)
        let signature = keys.sign(message)
        let key = keys.publicSigningKey
        let start = DispatchTime.now().uptimeNanoseconds
        var verified = 0
        while DispatchTime.now().uptimeNanoseconds - start < 1_000_000_000 {
            for _ in 0..<100 where key.isValidSignature(signature, for: message) { verified += 1 }
        }
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        return Double(verified) / seconds
    }
}

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

    func result(perCore: Double, cores: Int, validators: Int) -> LoadGenerator.Result {
        let elapsed = Double(lastCommit - min(firstSubmit ?? lastCommit, lastCommit)) / 1e9
        return LoadGenerator.Result(
            submitted: committed + submittedAt.count + rejected, committed: committed, rejected: rejected,
            txPerSecond: elapsed > 0 ? Double(committed) / elapsed : 0,
            p50Milliseconds: Double(histogram.valueAtPercentile(50)) / 1_000,
            p99Milliseconds: Double(histogram.valueAtPercentile(99)) / 1_000,
            verificationsPerSecondPerCore: perCore, cores: cores, validators: validators)
    }
}
