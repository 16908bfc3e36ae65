import ArgumentParser
import Foundation
import MedLedgerAPIModel
import MedLedgerBench
import MedLedgerCore
import MedLedgerNode

/// `bench --preload N`: the burst throughput of a fresh 4-validator testnet and of one that
/// already holds N committed transactions (`testnet preload`), measured one after the other
/// in the same run with the same load (`LoadGenerator`, each with its own idle ceiling), and
/// their ratio. The bench makes both testnets under --work-dir, starts and stops the nodes
/// itself (this executable), and times how long the preloaded nodes take to start. With
/// several rounds the two alternate (fresh, preloaded, fresh, …), so a change in how busy a
/// shared machine is falls on both, and the medians are compared.
struct BenchPreload {
    let transactions: Int
    let workDirectory: URL
    let basePort: Int
    let duration: Double
    let concurrency: Int
    let rounds: Int
    static let maxRounds = 5
    static let validators = 4
    /// The second testnet's ports start this far above the first's.
    static let portOffset = 50

    /// One testnet's run.
    struct Run {
        let name: String
        let startupSeconds: Double
        let result: LoadGenerator.Result
        /// The audited patient's trail, read before the load (preloaded testnet only).
        let audit: AuditTrailBench.Result?
    }

    func run() async throws {
        let fresh = workDirectory.appendingPathComponent("fresh")
        let preloaded = workDirectory.appendingPathComponent("preloaded")
        for (directory, port) in [(fresh, basePort), (preloaded, basePort + Self.portOffset)] {
            _ = try Testnet.initialize(
                validators: Self.validators, directory: directory, basePort: port, chainID: "medledger-bench",
                time: ConsensusTime(wallClock: SystemClock.now()), suite: .xwing)
        }
        let summary = try TestnetCommand.Preload.preload(
            directory: preloaded, options: ChainPreload.Options(transactions: transactions))
        var freshRuns = [Run]()
        var preloadedRuns = [Run]()
        for round in 1...rounds {
            let label = rounds > 1 ? " (round \(round) of \(rounds))" : ""
            freshRuns.append(
                try await measure("fresh" + label, directory: fresh, basePort: basePort, loadedHeight: 0))
            preloadedRuns.append(
                try await measure(
                    "preloaded" + label, directory: preloaded, basePort: basePort + Self.portOffset,
                    loadedHeight: Int(summary.blocks.rawValue), readAuditTrail: round == 1))
        }
        report(fresh: freshRuns, preloaded: preloadedRuns, summary: summary)
    }

    /// Starts the testnet's nodes, waits until they serve and commit on top of what they
    /// loaded, runs the burst, and stops them.
    private func measure(
        _ name: String, directory: URL, basePort: Int, loadedHeight: Int, readAuditTrail: Bool = false
    ) async throws -> Run {
        let nodes = (0..<Self.validators).map {
            URL(string: "http://127.0.0.1:\(Testnet.httpPort(base: basePort, index: $0))")!
        }
        print("== \(name) testnet (\(directory.path)): starting \(Self.validators) nodes ...")
        let processes = try NodeProcesses(testnet: directory, count: Self.validators)
        defer { processes.stop() }
        let serving: NetworkReadiness.Serving
        do {
            serving = try await NetworkReadiness.waitUntilServing(nodes: nodes, timeoutSeconds: 900)
        } catch {
            throw CLIError("\(name): \(error); exited: \(processes.exited); logs: \(directory.path)/nodeK.log")
        }
        print(String(format: "all nodes answer after %.1f s, at height %d", serving.seconds, serving.height))
        let agreed = try await NetworkReadiness.waitForAgreement(
            nodes: nodes, above: max(loadedHeight, serving.height), timeoutSeconds: 60)
        print("the network commits on top: all nodes agree at height \(agreed)")
        var audit: AuditTrailBench.Result?
        if readAuditTrail {
            audit = try await Self.auditTrail(directory: directory, node: nodes[0])
            for line in audit?.summaryLines ?? [] { print(line) }
        }
        let options = LoadGenerator.Options(
            nodes: nodes, durationSeconds: duration, rate: nil, concurrency: concurrency)
        let result = try await LoadGenerator(options: options, log: { print($0) }).run()
        for line in result.summaryLines { print(line) }
        let final = try await NetworkReadiness.waitForAgreement(
            nodes: nodes, above: agreed, timeoutSeconds: 60)
        print("after the load all nodes agree at height \(final)")
        return Run(name: name, startupSeconds: serving.seconds, result: result, audit: audit)
    }

    /// The preloaded audited patient reads its own trail from `node`.
    static func auditTrail(directory: URL, node: URL) async throws -> AuditTrailBench.Result {
        let genesis = try Genesis.load(from: directory.appendingPathComponent("genesis.json"))
        let keys = try KeyFile.load(directory.appendingPathComponent("preload/audit-patient.json")).keys()
        return try await AuditTrailBench(
            node: node, genesis: genesis, patient: ClientIdentity(label: "audited patient", keys: keys)
        ).run()
    }

    private func report(fresh freshRuns: [Run], preloaded preloadedRuns: [Run], summary: ChainPreload.Summary) {
        let freshRate = Self.median(freshRuns.map(\.result.txPerSecond))
        let loadedRate = Self.median(preloadedRuns.map(\.result.txPerSecond))
        let ratio = freshRate > 0 ? loadedRate / freshRate : 0
        // Each run's share of its own idle ceiling: cancels a change in how busy the machine was.
        let freshShare = Self.median(freshRuns.map(\.result.ratio))
        let loadedShare = Self.median(preloadedRuns.map(\.result.ratio))
        let ceilingRatio = freshShare > 0 ? loadedShare / freshShare : 0
        print("== fresh against preloaded (\(RateProgress.grouped(summary.transactions)) transactions)")
        for run in zip(freshRuns, preloadedRuns).flatMap({ [$0.0, $0.1] }) {
            print(
                "\(run.name): "
                    + String(
                        format:
                            "committed %.1f tx/s, p50 %.0f ms, p99 %.0f ms, %.3f of its idle ceiling %.1f tx/s; nodes started in %.1f s",
                        run.result.txPerSecond, run.result.p50Milliseconds,
                        run.result.p99Milliseconds, run.result.ratio, run.result.ceilingTxPerSecond, run.startupSeconds
                    ))
        }
        print(
            "preloaded ÷ fresh" + (rounds > 1 ? " (medians of \(rounds) rounds)" : "")
                + String(
                    format: ": %.3f in tx/s, %.3f in share of the ceiling (goal: at least 0.9)", ratio, ceilingRatio))
        if let audit = preloadedRuns.first?.audit { print(audit.resultLine) }
        if let last = preloadedRuns.last { print(last.result.resultLine) }
        print(
            String(
                format:
                    "RESULT_PRELOAD preloaded_transactions=%d fresh_tx_per_s=%.1f preloaded_tx_per_s=%.1f ratio=%.3f ceiling_share_ratio=%.3f preloaded_startup_s=%.1f fresh_startup_s=%.1f rounds=%d",
                summary.transactions, freshRate, loadedRate, ratio, ceilingRatio,
                Self.median(preloadedRuns.map(\.startupSeconds)), Self.median(freshRuns.map(\.startupSeconds)),
                rounds))
    }

    /// The middle value (of an even count, the mean of the two middle ones).
    static func median(_ values: [Double]) -> Double {
        guard !values.isEmpty else { return 0 }
        let sorted = values.sorted()
        let middle = sorted.count / 2
        return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
    }
}

extension BenchCommand {
    func validatePreload() throws {
        guard node.isEmpty else { throw ValidationError("--preload starts its own nodes; leave out --node") }
        guard workload == .signatures, rate == nil else {
            throw ValidationError(
                "--preload measures a burst of --workload signatures; leave out --rate and --workload")
        }
        let options = ChainPreload.Options(transactions: preload ?? 0)
        if let problem = options.problem { throw ValidationError("--preload: \(problem)") }
        guard basePort >= 1_024, basePort + BenchPreload.portOffset + 10 * BenchPreload.validators + 1 <= 65_535 else {
            throw ValidationError("--base-port must be 1024-\(65_535 - BenchPreload.portOffset - 41)")
        }
        guard duration > 0, duration <= 3_600 else { throw ValidationError("--duration must be 0-3600 seconds") }
        guard (1...1_024).contains(concurrency) else { throw ValidationError("--concurrency must be 1-1024") }
        guard (1...BenchPreload.maxRounds).contains(rounds) else {
            throw ValidationError("--rounds must be 1-\(BenchPreload.maxRounds)")
        }
        if let workDir {
            let existing = (try? FileManager.default.contentsOfDirectory(atPath: workDir)) ?? []
            guard existing.isEmpty else { throw ValidationError("--work-dir \(workDir) exists and is not empty") }
        }
    }

    func runPreload(transactions: Int) async throws {
        let directory =
            workDir.map { URL(fileURLWithPath: $0, isDirectory: true) }
            ?? FileManager.default.temporaryDirectory.appendingPathComponent(
                "medledger-bench-preload-\(UUID().uuidString)", isDirectory: true)
        print("bench --preload: testnets in \(directory.path)")
        do {
            try await BenchPreload(
                transactions: transactions, workDirectory: directory, basePort: basePort, duration: duration,
                concurrency: concurrency, rounds: rounds
            ).run()
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("bench --preload failed: \(error)")
        }
    }
}
