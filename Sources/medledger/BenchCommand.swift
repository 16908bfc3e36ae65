import ArgumentParser
import Foundation
import MedLedgerAPIModel
import MedLedgerBench
import MedLedgerCore

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Load-test running nodes and measure the ceiling in the same run.",
        discussion: """
            --workload signatures (the default) pre-signs patient self-registrations, submits them round-robin to
            the nodes at --rate (or as fast as they are accepted), and times submit-to-commit from the blocks.
            --workload mixed runs patient episodes instead (register, submit a --report-bytes report with its
            blob, approve, grant, read with key release, audit query), --concurrency at a time; it needs the
            --genesis and an organization's admin key (--org-key, from `testnet init`'s DIR/org-keys/).

            The ceiling is Ed25519 verifications per second per core × cores ÷ validators, measured before the
            load and again after it, each time once no node has pending transactions (checked on two polls 1 s
            apart, at most 30 s), with how busy the rest of the machine was meanwhile (from /proc). The ratio is
            committed tx/s ÷ the mean of the two (÷ the one before alone if the nodes were not idle after the
            load). The last lines are
            RESULT tx_per_s=… p50_ms=… p99_ms=… ceiling_tx_per_s=… ratio=… ceiling_after_tx_per_s=…
            ceiling_before_tx_per_s=…
            and, for mixed, RESULT_MIXED with count, rate and latency per operation kind.

            --baseline postgres --database postgres://… (signatures only): after the load, the same number of
            registrations is written by a plain single-process program to one PostgreSQL server (each signature
            verified once, a hash-chained audit table), and the validators' committed tx/s is printed as a
            fraction of the baseline's: RESULT_BASELINE baseline_tx_per_s=… validators_tx_per_s=… ratio=…

            --half-load (signatures only): a burst first, whose committed tx/s is the saturating rate, then
            --duration seconds paced at half of it, each with its own idle ceiling; the last line is
            RESULT_HALF_LOAD saturating_tx_per_s=… half_rate_tx_per_s=… committed_tx_per_s=… p50_ms=… p99_ms=…
            goal_p99_ms=250 met=yes|no burst_ratio=… send_every_ms=…

            A paced run (--rate, or --half-load's second part) wakes every --send-every-ms (default 2) and sends
            what has come due as one batch to the next node in turn. A longer interval makes fewer, larger
            requests; a transaction's latency counts from when it came due, so the wait is in the figure.
            """)

    enum Workload: String, ExpressibleByArgument, CaseIterable {
        case signatures, mixed
    }

    @Option(name: .long, help: "A node's HTTP URL; repeat for several.") var node: [String] = []
    @Option(name: .long, help: "signatures or mixed.") var workload: Workload = .signatures
    @Option(name: .long, help: "Seconds of load.") var duration: Double = 10
    @Option(name: .long, help: "Transactions per second, signatures only (default: as fast as accepted).")
    var rate: Double?
    @Option(name: .long, help: "Batches in flight (signatures) or patient episodes in flight (mixed, at most 64).")
    var concurrency: Int = 8
    @Option(
        name: .customLong("send-every-ms"),
        help:
            "Signatures at a fixed rate (--rate, or --half-load's paced part): send what has come due every this many ms, one batch to the next node in turn (1-1000)."
    )
    var sendEveryMilliseconds: Int = LoadGenerator.Options.defaultSendEveryMilliseconds
    @Option(name: .long, help: "Mixed: the consortium's genesis.json.") var genesis: String?
    @Option(
        name: .customLong("org-key"),
        help:
            "Mixed: an organization admin's key file (repeat once more for a second organization, whose readers then read under the patients' grants)."
    )
    var orgKeys: [String] = []
    @Option(name: .long, help: "Mixed: stop after this many patient episodes.") var episodes: Int?
    @Option(name: .long, help: "Mixed: bytes of each report.")
    var reportBytes: Int = MixedWorkload.Options.defaultReportBytes
    @Flag(
        name: .long,
        help:
            "Signatures: a burst to find the saturating rate, then --duration seconds paced at half of it; prints p99 against the 250 ms goal (RESULT_HALF_LOAD)."
    )
    var halfLoad = false
    @Option(name: .long, help: "Signatures: also run a centralized baseline; postgres is the one there is.")
    var baseline: Baseline?
    @Option(name: .long, help: "--baseline postgres: the server, postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME].")
    var database: String?
    @Option(
        name: .long,
        help:
            "Instead of --node: make a fresh 4-validator testnet and one preloaded with this many committed transactions, run a burst on each, print both and their ratio."
    )
    var preload: Int?
    @Option(name: .long, help: "--preload: where the two testnets go (default: a new temporary directory).")
    var workDir: String?
    @Option(name: .long, help: "--preload: the fresh testnet's first port (the preloaded one's is 50 above).")
    var basePort: Int = 9_500
    @Option(name: .long, help: "--preload: measure fresh and preloaded alternately this many times (1-5); medians.")
    var rounds: Int = 1
    @Option(
        name: .long,
        help:
            "Instead of a load: read this patient's whole access trail (key file, e.g. DIR/preload/audit-patient.json from `testnet preload`) from the first --node, in the largest pages, with --genesis; print the times."
    )
    var auditPatient: String?

    func validate() throws {
        if halfLoad, preload != nil || auditPatient != nil {
            throw ValidationError(
                "--half-load loads running nodes (--node); it does not go with --preload or --audit-patient")
        }
        if preload != nil { return try validatePreload() }
        if auditPatient != nil { return try validateAuditTrail() }
        guard !node.isEmpty else {
            throw ValidationError("give at least one --node URL, e.g. --node http://127.0.0.1:26600")
        }
        for text in node {
            guard let url = URL(string: text), url.scheme == "http", url.host != nil else {
                throw ValidationError("--node must be an http URL, got \(text)")
            }
        }
        guard duration > 0, duration <= 3_600 else { throw ValidationError("--duration must be 0-3600 seconds") }
        if let rate { guard rate > 0, rate <= 100_000 else { throw ValidationError("--rate must be 0-100000") } }
        guard (1...1_024).contains(concurrency) else { throw ValidationError("--concurrency must be 1-1024") }
        let sendRange = LoadGenerator.Options.sendEveryMillisecondsRange
        guard sendRange.contains(sendEveryMilliseconds) else {
            throw ValidationError("--send-every-ms must be \(sendRange.lowerBound)-\(sendRange.upperBound)")
        }
        if sendEveryMilliseconds != LoadGenerator.Options.defaultSendEveryMilliseconds {
            guard workload == .signatures, rate != nil || halfLoad else {
                throw ValidationError("--send-every-ms paces --rate or --half-load runs of --workload signatures")
            }
        }
        switch workload {
        case .signatures:
            guard genesis == nil, orgKeys.isEmpty, episodes == nil else {
                throw ValidationError("--genesis, --org-key and --episodes are for --workload mixed")
            }
            if halfLoad {
                guard rate == nil, baseline == nil else {
                    throw ValidationError("--half-load picks its own rate: leave out --rate and --baseline")
                }
            }
        case .mixed:
            guard !halfLoad else { throw ValidationError("--half-load is for --workload signatures") }
            try validateMixed()
            guard baseline == nil else { throw ValidationError("--baseline is for --workload signatures") }
        }
        try validateBaseline()
    }

    private func validateMixed() throws {
        guard rate == nil else { throw ValidationError("--rate is for --workload signatures; mixed runs episodes") }
        guard let genesis else {
            throw ValidationError("--workload mixed needs --genesis FILE (the consortium's genesis.json)")
        }
        guard FileManager.default.fileExists(atPath: genesis) else {
            throw ValidationError("--genesis \(genesis) does not exist")
        }
        guard (1...2).contains(orgKeys.count) else {
            throw ValidationError(
                "--workload mixed needs one or two --org-key FILE (an organization admin's key, e.g. DIR/org-keys/org0.json from `testnet init`)"
            )
        }
        for file in orgKeys where !FileManager.default.fileExists(atPath: file) {
            throw ValidationError("--org-key \(file) does not exist")
        }
        guard concurrency <= MixedWorkload.Options.maxConcurrency else {
            throw ValidationError(
                "--concurrency must be 1-\(MixedWorkload.Options.maxConcurrency) for mixed (each episode holds a report in memory)"
            )
        }
        if let episodes { guard episodes >= 1 else { throw ValidationError("--episodes must be at least 1") } }
        guard (1...Limits.blobMaxBytes / 2).contains(reportBytes) else {
            throw ValidationError("--report-bytes must be 1-\(Limits.blobMaxBytes / 2)")
        }
    }

    func run() async throws {
        if let preload { return try await runPreload(transactions: preload) }
        if let auditPatient { return try await runAuditTrail(patientKey: auditPatient) }
        let nodes = node.map { URL(string: $0)! }
        do {
            switch workload {
            case .signatures where halfLoad:
                let halfLoad = HalfLoad(
                    nodes: nodes, durationSeconds: duration, concurrency: concurrency,
                    sendEveryMilliseconds: sendEveryMilliseconds, log: { print($0) })
                print(try await halfLoad.run().resultLine)
            case .signatures:
                let options = LoadGenerator.Options(
                    nodes: nodes, durationSeconds: duration, rate: rate, concurrency: concurrency,
                    sendEveryMilliseconds: sendEveryMilliseconds)
                let result = try await LoadGenerator(options: options, log: { print($0) }).run()
                for line in result.summaryLines { print(line) }
                print(result.resultLine)
                if baseline == .postgres, let database { try runBaseline(database: database, validators: result) }
            case .mixed:
                let result = try await MixedWorkload(options: try mixedOptions(nodes), log: { print($0) }).run()
                for line in result.summaryLines { print(line) }
                print(result.totals.resultLine)
                print(result.mixedLine)
            }
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("bench failed: \(error)")
        }
    }

    /// Loads the genesis and the admin keys, checking each is one of the genesis's organizations.
    private func mixedOptions(_ nodes: [URL]) throws -> MixedWorkload.Options {
        let genesisFile = genesis ?? ""
        let anchor: Genesis
        do { anchor = try Genesis.load(from: URL(fileURLWithPath: genesisFile)) } catch {
            throw CLIError("--genesis \(genesisFile) is not a readable genesis: \(error)")
        }
        let organizations = try orgKeys.map { path -> ClientIdentity in
            let identity: ClientIdentity
            do {
                let file = try KeyFile.load(URL(fileURLWithPath: path))
                identity = ClientIdentity(label: file.label, id: try file.identityID(), keys: try file.keys())
            } catch {
                throw CLIError("--org-key \(path) is not a readable key file: \(error)")
            }
            guard anchor.organizations.contains(where: { $0.id == identity.id }) else {
                throw CLIError("--org-key \(path) is not the admin key of an organization in --genesis \(genesisFile)")
            }
            return identity
        }
        return MixedWorkload.Options(
            nodes: nodes, genesis: anchor, organizations: organizations, durationSeconds: duration,
            maxEpisodes: episodes, concurrency: concurrency, reportBytes: reportBytes)
    }
}
