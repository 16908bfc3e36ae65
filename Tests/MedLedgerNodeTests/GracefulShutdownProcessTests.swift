import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedLedgerCore
import MedLedgerNode
import Testing
import MedLedgerTesting

/// `medledger node start` runs its HTTP server, block making and peer network as services in
/// one `ServiceGroup`: SIGTERM stops them in order and the process exits 0, promptly, leaving
/// a data directory that `medledger verify` finds intact.
@Suite struct GracefulShutdownProcessTests {
    /// A shutdown longer than this is not "prompt" (the group escalates after 5 s).
    static let exitDeadlineSeconds = 8.0

    @Test(.timeLimit(.minutes(2))) func sigtermStopsASingleValidatorCleanly() async throws {
        guard CLIProcess.isBuilt() else { return }
        let directory = Self.temporaryDirectory("single")
        defer { try? FileManager.default.removeItem(at: directory) }
        #expect(
            try CLIProcess.runToEnd(["node", "init", "--data-dir", directory.path, "--org", "Hospital"]).status == 0)
        let port = try TestPorts.block(1)
        let node = try Self.spawn(
            ["node", "start", "--data-dir", directory.path, "--http", "127.0.0.1:\(port)"],
            log: directory.appendingPathComponent("node.log"))
        defer { Self.forceStop(node) }
        let url = URL(string: "http://127.0.0.1:\(port)")!
        #expect(await Self.waitForHeight(url, 2, seconds: 30), "the node never reached height 2")

        try await Self.expectExitsZeroOnSIGTERM(node, log: directory.appendingPathComponent("node.log"))
        let verified = try CLIProcess.runToEnd(["verify", "--data-dir", directory.path])
        #expect(verified.status == 0, "verify after SIGTERM: \(verified.output)")
    }

    @Test(.timeLimit(.minutes(3))) func sigtermStopsEveryValidatorOfATestnetCleanly() async throws {
        guard CLIProcess.isBuilt() else { return }
        let directory = Self.temporaryDirectory("testnet")
        defer { try? FileManager.default.removeItem(at: directory) }
        let basePort = try TestPorts.block(40)
        _ = try Testnet.initialize(
            validators: 4, directory: directory, basePort: basePort, chainID: "medledger-sigterm",
            time: ConsensusTime(wallClock: SystemClock.now()))
        var nodes = [Process]()
        defer { for node in nodes { Self.forceStop(node) } }
        for index in 0..<4 {
            let folder = directory.appendingPathComponent("node\(index)")
            nodes.append(
                try Self.spawn(
                    ["node", "start", "--data-dir", folder.path],
                    log: directory.appendingPathComponent("node\(index).log")))
        }
        let url = URL(string: "http://127.0.0.1:\(Testnet.httpPort(base: basePort, index: 0))")!
        #expect(await Self.waitForHeight(url, 3, seconds: 60), "the network never reached height 3")

        for (index, node) in nodes.enumerated() {
            try await Self.expectExitsZeroOnSIGTERM(node, log: directory.appendingPathComponent("node\(index).log"))
        }
        for index in 0..<4 {
            let verified = try CLIProcess.runToEnd([
                "verify", "--data-dir", directory.appendingPathComponent("node\(index)").path,
            ])
            #expect(verified.status == 0, "node\(index) after SIGTERM: \(verified.output)")
        }
    }

    // MARK: - Processes

    static func temporaryDirectory(_ name: String) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("medledger-sigterm-\(name)-\(UUID().uuidString)")
    }

    static func spawn(_ arguments: [String], log: URL) throws -> Process {
        let process = Process()
        process.executableURL = CLIProcess.binary
        process.arguments = arguments
        try FileManager.default.createDirectory(at: log.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        return process
    }

    static func expectExitsZeroOnSIGTERM(_ process: Process, log: URL) async throws {
        let sent = Date()
        kill(process.processIdentifier, SIGTERM)
        while process.isRunning, Date().timeIntervalSince(sent) < exitDeadlineSeconds {
            try await Task.sleep(nanoseconds: 50_000_000)
        }
        let logText = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
        guard !process.isRunning else {
            Issue.record("still running \(exitDeadlineSeconds) s after SIGTERM; log:\n\(logText.suffix(2_000))")
            return
        }
        #expect(process.terminationReason == .exit, "ended by a signal, not by exiting")
        #expect(
            process.terminationStatus == 0, "exit status \(process.terminationStatus); log:\n\(logText.suffix(2_000))")
    }

    static func forceStop(_ process: Process) {
        guard process.isRunning else { return }
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    static func waitForHeight(_ url: URL, _ height: UInt64, seconds: Double) async -> Bool {
        struct Status: Decodable { let height: UInt64 }
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if let (data, _) = try? await URLSession.shared.data(from: url.appendingPathComponent("v1/status")),
                let status = try? JSONDecoder().decode(Status.self, from: data), status.height >= height
            {
                return true
            }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return false
    }
}
