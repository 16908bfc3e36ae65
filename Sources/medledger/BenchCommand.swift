import ArgumentParser
import MedLedgerBench
import Foundation

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench", abstract: "Load-test running nodes and measure the ceiling in the same run.",
        discussion: """
            Pre-signs patient self-registrations, submits them round-robin to the nodes at --rate (or as fast as
            they are accepted), and times submit-to-commit from the blocks. The ceiling is Ed25519
            verifications per second per core × cores ÷ validators, measured here and now. The last line is
            RESULT tx_per_s=… p50_ms=… p99_ms=… ceiling_tx_per_s=…
            """)

    @Option(name: .long, help: "A node's HTTP URL; repeat for several.") var node: [String] = []
    @Option(name: .long, help: "Seconds of load.") var duration: Double = 10
    @Option(name: .long, help: "Transactions per second (default: as fast as accepted).") var rate: Double?
    @Option(name: .long, help: "Batches in flight.") var concurrency: Int = 8

    func validate() throws {
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
    }

    func run() async throws {
        let options = LoadGenerator.Options(
            nodes: node.map { URL(string: $0)! }, durationSeconds: duration, rate: rate,
            concurrency: concurrency)
        let result: LoadGenerator.Result
        do { result = try await LoadGenerator(options: options, log: { print($0) }).run() } catch {
            throw CLIError("bench failed: \(error)")
        }
        print("submitted \(result.submitted), committed \(result.committed), refused \(result.rejected)")
        print(
            String(
                format: "Ed25519: %.0f verifications/s per core × %d cores ÷ %d validators",
                result.verificationsPerSecondPerCore, result.cores, result.validators))
        print(result.resultLine)
    }
}
