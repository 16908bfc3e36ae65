import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore

/// `medledger bench --workload mixed`: a hospital's day rather than signatures alone. Each
/// worker repeats one patient's episode (`MixedEpisode`): the patient registers, an author
/// submits a report of `reportBytes` with its encrypted blob, an approver approves it, the
/// patient grants a reader access, the reader reads it (key shares released by the
/// custodians against the committed access receipt), and the patient queries the audit
/// trail. Every operation waits for its commit, so latencies are what a user sees.
///
/// Memory stays bounded: one shared plaintext, and per worker one report in flight
/// (its ciphertext up and down, a few times `reportBytes`).
public struct MixedWorkload: Sendable {
    public struct Options: Sendable {
        public var nodes: [URL]
        public var genesis: Genesis
        /// Admin keys of one or two genesis organizations: the first employs the authors and
        /// approvers, the second (else the first) the readers.
        public var organizations: [ClientIdentity]
        public var durationSeconds: Double
        /// Stop after this many episodes (nil: as many as fit in the duration).
        public var maxEpisodes: Int?
        /// Episodes in flight, one per worker.
        public var concurrency: Int
        public var reportBytes: Int

        public static let maxConcurrency = 64
        public static let defaultReportBytes = 1_000_000

        public init(
            nodes: [URL], genesis: Genesis, organizations: [ClientIdentity], durationSeconds: Double,
            maxEpisodes: Int? = nil, concurrency: Int = 8, reportBytes: Int = defaultReportBytes
        ) {
            self.nodes = nodes
            self.genesis = genesis
            self.organizations = organizations
            self.durationSeconds = durationSeconds
            self.maxEpisodes = maxEpisodes
            self.concurrency = concurrency
            self.reportBytes = reportBytes
        }
    }

    public struct Result: Sendable {
        /// The same totals as the signature workload: every committed transaction.
        public let totals: LoadGenerator.Result
        public let operations: [OperationSummary]
        public let episodes: Int
        public let failures: [String]

        public var summaryLines: [String] {
            var lines = ["episodes completed \(episodes), failed \(failures.count)"]
            lines += failures.prefix(3).map { "  failure: \($0)" }
            lines += operations.map { summary in
                let name = summary.operation.rawValue.padding(toLength: 9, withPad: " ", startingAt: 0)
                let figures = String(
                    format: "%6d  %8.2f/s  p50 %8.1f ms  p99 %8.1f ms", summary.count, summary.perSecond,
                    summary.p50Milliseconds, summary.p99Milliseconds)
                return name + figures + (summary.megabytesPerSecond.map { String(format: "  %.2f MB/s", $0) } ?? "")
            }
            return lines + totals.summaryLines
        }

        /// `RESULT_MIXED episodes=… failures=… KIND_per_s=… KIND_p50_ms=… KIND_p99_ms=…` for each
        /// kind, with `submit_mb_per_s` and `read_mb_per_s`.
        public var mixedLine: String {
            var fields = ["RESULT_MIXED episodes=\(episodes)", "failures=\(failures.count)"]
            for summary in operations {
                let name = summary.operation.rawValue
                fields.append("\(name)_count=\(summary.count)")
                fields.append(String(format: "\(name)_per_s=%.2f", summary.perSecond))
                fields.append(String(format: "\(name)_p50_ms=%.1f", summary.p50Milliseconds))
                fields.append(String(format: "\(name)_p99_ms=%.1f", summary.p99Milliseconds))
                if let rate = summary.megabytesPerSecond {
                    fields.append(String(format: "\(name)_mb_per_s=%.2f", rate))
                }
            }
            return fields.joined(separator: " ")
        }
    }

    let options: Options
    let log: @Sendable (String) -> Void

    public init(options: Options, log: @escaping @Sendable (String) -> Void) {
        precondition(!options.nodes.isEmpty && !options.organizations.isEmpty && options.durationSeconds > 0)
        precondition((1...Options.maxConcurrency).contains(options.concurrency) && options.reportBytes > 0)
        self.options = options
        self.log = log
    }

    public func run() async throws -> Result {
        let client = BenchHTTP(nodes: options.nodes)
        let status = try await client.status(node: 0)
        log("chain \(status.chainId) at height \(status.height), \(status.validators.count) validator(s)")
        log("registering \(options.concurrency * 3) practitioners (not timed) ...")
        let staff = try await MixedStaff.register(
            count: options.concurrency, organizations: options.organizations, node: options.nodes[0],
            genesis: options.genesis)
        let ceiling = try await LoadGenerator.idleCeiling(
            client: client, validators: status.validators.count, log: log)
        log(
            "running patient episodes for \(options.durationSeconds) s\(options.maxEpisodes.map { " (at most \($0))" } ?? ""), \(options.concurrency) at a time, \(options.reportBytes)-byte reports ..."
        )
        let recorder = OperationRecorder()
        let end = DispatchTime.now().uptimeNanoseconds + UInt64(options.durationSeconds * 1e9)
        let body = Self.reportBody(bytes: options.reportBytes)
        await withTaskGroup(of: Void.self) { group in
            for (index, people) in staff.enumerated() {
                let episode = MixedEpisode(
                    staff: people, nodes: options.nodes, home: index % options.nodes.count, genesis: options.genesis,
                    body: body, recorder: recorder)
                group.addTask { await episode.repeatUntil(end: end, maxEpisodes: options.maxEpisodes) }
            }
        }
        let after = try await LoadGenerator.idleCeiling(
            client: client, validators: status.validators.count, when: "after load", log: log)
        return await Self.result(recorder: recorder, reportBytes: options.reportBytes, ceiling: ceiling, after: after)
    }

    private static func result(recorder: OperationRecorder, reportBytes: Int, ceiling: Ceiling, after: Ceiling) async
        -> Result
    {
        let totals = await recorder.transactionTotals
        let seconds = await recorder.elapsedSeconds
        let failures = await recorder.failures
        return Result(
            totals: LoadGenerator.Result(
                submitted: totals.count + failures.count, committed: totals.count, rejected: failures.count,
                txPerSecond: seconds > 0 ? Double(totals.count) / seconds : 0,
                p50Milliseconds: totals.p50Milliseconds, p99Milliseconds: totals.p99Milliseconds, ceiling: ceiling,
                ceilingAfter: after),
            operations: await recorder.summaries(reportBytes: reportBytes),
            episodes: await recorder.episodesCompleted, failures: failures)
    }

    /// A report body of `bytes` printable bytes (the same for every report: each is sealed
    /// under its own key, so the ciphertexts still differ).
    static func reportBody(bytes: Int) -> [UInt8] {
        let line = Array("Hemoglobin 13.9 g/dL; leukocytes 6.1 x10^9/L; platelets 245 x10^9/L.\n".utf8)
        return (0..<bytes).map { line[$0 % line.count] }
    }
}
