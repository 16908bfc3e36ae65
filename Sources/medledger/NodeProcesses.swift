import Foundation

/// `node start` processes this command starts and stops itself (`bench --preload`): this
/// same executable, one process per node folder, output to a log file beside the folder.
final class NodeProcesses {
    private var processes: [Process] = []

    /// Starts `medledger node start --data-dir DIR/nodeK` for K in 0..<count.
    init(testnet directory: URL, count: Int) throws {
        let executable = try Self.ownExecutable()
        for index in 0..<count {
            let process = Process()
            process.executableURL = executable
            process.arguments = ["node", "start", "--data-dir", directory.appendingPathComponent("node\(index)").path]
            let log = directory.appendingPathComponent("node\(index).log")
            _ = FileManager.default.createFile(atPath: log.path, contents: nil)
            let handle = try FileHandle(forWritingTo: log)
            process.standardOutput = handle
            process.standardError = handle
            do { try process.run() } catch {
                stop()
                throw CLIError("cannot start node\(index) (\(executable.path)): \(error)")
            }
            processes.append(process)
        }
    }

    /// Processes that have exited, named for the error message.
    var exited: [String] {
        processes.enumerated().filter { !$0.element.isRunning }.map {
            "node\($0.offset) (exit \($0.element.terminationStatus))"
        }
    }

    /// SIGTERM (a node stops HTTP, then consensus, and exits 0), then SIGKILL after 20 s.
    func stop() {
        for process in processes where process.isRunning { process.terminate() }
        let deadline = Date().addingTimeInterval(20)
        for process in processes {
            while process.isRunning && Date() < deadline { usleep(50_000) }
            if process.isRunning { kill(process.processIdentifier, SIGKILL) }
            process.waitUntilExit()
        }
        processes = []
    }

    deinit { stop() }

    /// This program's own file, so the nodes run the same build as the bench.
    private static func ownExecutable() throws -> URL {
        if let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe") {
            return URL(fileURLWithPath: path)
        }
        guard let url = Bundle.main.executableURL else { throw CLIError("cannot find this program's executable") }
        return url
    }
}
