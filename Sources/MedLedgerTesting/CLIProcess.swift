import Foundation

/// The `medledger` command line as the tests run it: this package's debug build, which
/// `swift build` (and so `swift test`) makes.
public enum CLIProcess {
    /// `.build/debug/medledger` of this package.
    public static var binary: URL {
        // This file is Sources/MedLedgerTesting/CLIProcess.swift: three levels below the package.
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
            .appendingPathComponent(".build/debug/medledger")
    }

    /// Runs the CLI to its end; its exit status and what it printed, standard output and
    /// standard error together.
    public static func runToEnd(_ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = binary
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        // Read before waiting, so a child that fills the pipe is not left blocked on it.
        let output = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: output, as: UTF8.self))
    }
}
