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
/// itself (this executable), and times how long the preloaded nodes take to start.
struct BenchPreload {
    let transactions: Int
    let workDirectory: URL
    let basePort: Int
    let duration: Double
    let concurrency: Int
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
        var runs = [Run]()
        runs.append(try await measure("fresh", directory: fresh, basePort: basePort, loadedHeight: 0))
        runs.append(
            try await measure(
                "preloaded", directory: preloaded, basePort: basePort + Self.portOffset,
                loadedHeight: Int(summary.blocks.rawValue)))
        report(runs, preloaded: summary)
    }

    /// Starts the testnet's nodes, waits until they serve and commit on top of what they
    /// loaded, runs the burst, and stops them.
    private func measure(_ name: String, directory: URL, basePort: Int, loadedHeight: Int) async throws -> Run {
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
        if loadedHeight > 0 {
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

    private func report(_ runs: [Run], preloaded summary: ChainPreload.Summary) {
        let fresh = runs[0]
        let loaded = runs[1]
        let ratio = fresh.result.txPerSecond > 0 ? loaded.result.txPerSecond / fresh.result.txPerSecond : 0
        // Each run's share of its own idle ceiling: cancels a change in how busy the machine was.
        let ceilingRatio = fresh.result.ratio > 0 ? loaded.result.ratio / fresh.result.ratio : 0
        print("== fresh against preloaded (\(RateProgress.grouped(summary.transactions)) transactions)")
        for run in runs {
            print(
                "\(run.name): "
                    + String(
                        format:
                            "committed %.1f tx/s, p50 %.0f ms, p99 %.0f ms, %.3f of its idle ceiling %.1f tx/s; nodes started in %.1f s",
                        run.result.txPerSecond, run.result.p50Milliseconds,
                        run.result.p99Milliseconds, run.result.ratio, run.result.ceiling.txPerSecond, run.startupSeconds
                    ))
        }
        print(
            String(
                format: "preloaded ÷ fresh: %.3f in tx/s, %.3f in share of the ceiling (goal: at least 0.9)", ratio,
                ceilingRatio))
        if let audit = loaded.audit { print(audit.resultLine) }
        print(loaded.result.resultLine)
        print(
            String(
                format:
                    "RESULT_PRELOAD preloaded_transactions=%d fresh_tx_per_s=%.1f preloaded_tx_per_s=%.1f ratio=%.3f ceiling_share_ratio=%.3f preloaded_startup_s=%.1f fresh_startup_s=%.1f",
                summary.transactions, fresh.result.txPerSecond, loaded.result.txPerSecond, ratio, ceilingRatio,
                loaded.startupSeconds, fresh.startupSeconds))
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
                concurrency: concurrency
            ).run()
        } catch let error as CLIError {
            throw error
        } catch {
            throw CLIError("bench --preload failed: \(error)")
        }
    }
}
