import ArgumentParser
import MedLedgerDemo
import MedLedgerStorage
import Foundation

struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the whole MedLedger story on one embedded node (SQLite).",
        discussion: """
            Creates a hospital, a lab and a clinic with their practitioners and a patient, then: submits a
            lab report, approves it, distributes it, shares it with another organization's physician, reads
            it (leaving a receipt), shows the patient's audit trail, revokes, shows the denied read, and
            verifies the ledger. Key files of every participant are left in DATA-DIR/demo-keys.
            With --serve the node keeps running afterwards and serves the web portal and the API at
            --http (default 127.0.0.1:8080); sign in there with those key files.
            """
    )

    @Option(name: .long, help: "Where the demo node keeps its data. An earlier demo there is replaced.")
    var dataDir: String = "./medledger-demo"

    @Option(name: .long, help: "Validators: 1 (embedded node) or more (Tendermint over loopback, one process).")
    var validators: Int = 1

    @Option(name: .long, help: "First port for a multi-validator demo (node K uses BASE + 10·K and + 1).")
    var basePort: Int = 26_900

    @Flag(name: .long, help: "After the story, keep the node running and serve the API and the web portal.")
    var serve = false

    @Option(name: .long, help: "With --serve: where the API and portal listen (HOST:PORT).")
    var http: String = "127.0.0.1:8080"

    func validate() throws {
        _ = try HostPort(http, option: "--http")
        guard (1...16).contains(validators) else { throw ValidationError("--validators must be 1-16") }
        guard basePort >= 1_024, basePort + 10 * validators + 1 <= 65_535 else {
            throw ValidationError("--base-port must leave room for \(validators) nodes below 65535")
        }
    }

    func run() async throws {
        let directory = DataDirectory(path: dataDir)
        print("MedLedger demo")
        print("==============")
        let story = DemoStory(directory: directory, validators: validators, basePort: basePort, say: { print($0) })
        do {
            _ = try await story.run()
        } catch {
            throw CLIError("demo failed: \(error)")
        }
        guard serve else { return }
        let address = try HostPort(http, option: "--http")
        let keys = story.keyFiles
        do {
            try await story.serve(host: address.host, port: address.port) { port in
                print("")
                print("Portal: http://\(address.host):\(port)/")
                for key in keys { print("key \(key.name) \(key.path)") }
                print("Serving until Ctrl-C (SIGINT) or SIGTERM.")
                fflush(nil)
            }
        } catch {
            throw CLIError("demo --serve failed: \(error)")
        }
        print("Stopped.")
    }
}

/// A failure reported to the user in one line, with exit code 1.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ message: String) { description = message }
}
