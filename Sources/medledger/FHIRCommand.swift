import ArgumentParser
import Foundation
import Logging
import MedLedgerClient
import MedLedgerCore
import MedLedgerFHIRGateway

/// `medledger fhir …`: the organization's FHIR gateway, and import and export of FHIR files.
struct FHIRCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fhir",
        abstract: "FHIR R4: a gateway for an EHR, import of FHIR files, export of a patient's reports.",
        subcommands: [FHIRGatewayCommand.self, FHIRImportCommand.self, FHIRExportCommand.self])
}

/// Where the gateway keeps its encrypted MRN map and index, and the import journal.
struct StoreOption: ParsableArguments {
    @Option(name: .long, help: "The gateway's own store (encrypted SQLite; MRN map, index, import journal).")
    var store: String = "medledger-fhir-store"

    var url: URL { URL(fileURLWithPath: store, isDirectory: true) }
    var journal: URL { url.appendingPathComponent("import-journal.tsv") }

    func service(_ options: ClientOptions) throws -> FHIRGatewayService {
        let client = try options.client()
        let store = try GatewayStore(directory: url, signingKey: Array(client.me.keys.signing.rawRepresentation))
        return FHIRGatewayService(client: client, store: store)
    }
}

struct FHIRGatewayCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gateway",
        abstract: "Serve plain FHIR R4 to your EHR; reports go to the ledger encrypted, MRNs stay in --store.",
        discussion: """
            POST DiagnosticReport, DocumentReference or a transaction Bundle to http://LISTEN/fhir; GET
            DiagnosticReport/{id} (records an access with the purpose in _purpose or the X-MedLedger-Purpose
            header, default treatment); POST Consent grants, DELETE Consent/{id} revokes. See docs/fhir.md.
            """)

    @OptionGroup var client: ClientOptions
    @OptionGroup var store: StoreOption
    @Option(name: .long, help: "Where the gateway listens (HOST:PORT); keep it on the EHR's network only.")
    var listen: String = "127.0.0.1:8787"
    @Option(
        name: .long,
        help: """
            A file holding the client token the EHR must send (Authorization: Bearer …; e.g. openssl rand -hex 32). \
            Required unless --listen is a loopback address.
            """)
    var clientTokenFile: String?

    func run() async throws {
        let address = try HostPort(listen, option: "--listen")
        guard client.genesis != nil else {
            throw ValidationError("--genesis is needed: reports are sealed only to keys proven against it")
        }
        let host = address.host
        let clientToken = try clientTokenFile.map { try GatewayClientToken.read(path: $0) }
        guard clientToken != nil || GatewayClientToken.isLoopback(host) else {
            throw ValidationError(
                "--listen \(listen) is reachable from other machines, and the gateway decrypts reports for whoever calls it: give --client-token-file, or listen on 127.0.0.1"
            )
        }
        let service = try store.service(client)
        var logger = Logger(label: "medledger.fhir-gateway")
        logger.logLevel = .info
        let storePath = store.url.path
        try await GatewayServer.run(
            service: service, host: host, port: address.port, clientToken: clientToken, logger: logger
        ) { bound in
            print("FHIR gateway: http://\(host):\(bound)/fhir (store \(storePath))")
            fflush(nil)
        }
    }
}

struct FHIRImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import a FHIR Bundle, resource, or folder of them (.json), through a gateway or directly.",
        discussion: """
            Each file is imported once: done files are listed by SHA-256 in --store's import-journal.tsv, so a
            rerun after an interruption skips them. Reports with an identifier are created with If-None-Exist, so
            one committed just before an interruption is found, not made twice. A bad file is reported (file, FHIR
            path, reason) and the others go on; the exit code is 1 when any failed.
            """)

    @Argument(help: "A .json file or a folder of them.")
    var path: String
    @Option(name: .long, help: "A running gateway's FHIR base, e.g. http://127.0.0.1:8787/fhir.")
    var gateway: String?
    @Option(name: .long, help: "The gateway's client token file (with --gateway, when the gateway has one).")
    var clientTokenFile: String?
    @Option(name: .long, help: "Import directly with this key file (instead of --gateway).")
    var key: String?
    @Option(name: .long, help: "The node (with --key).")
    var node: String = "http://127.0.0.1:8080"
    @Option(name: .long, help: "The consortium's genesis.json (with --key).")
    var genesis: String?
    @OptionGroup var store: StoreOption

    func run() async throws {
        let sink: any FHIRSink
        if let gateway {
            sink = HTTPFHIRSink(
                base: gateway, clientToken: try clientTokenFile.map { try GatewayClientToken.read(path: $0) })
        } else if let key {
            var options = try ClientOptions.parse(["--key", key, "--node", node])
            options.genesis = genesis
            sink = DirectFHIRSink(service: try store.service(options))
        } else {
            throw ValidationError("give --gateway URL (a running gateway) or --key FILE (import directly)")
        }
        let files = try FHIRImport.files(at: URL(fileURLWithPath: path))
        let importer = FHIRImport(sink: sink, journal: store.journal)
        let done = importer.done()
        let bar = ProgressLine(total: files.count)
        var failed = 0
        var skipped = 0
        var existing = 0
        for (index, file) in files.enumerated() {
            let outcome = await importer.importFile(file, done: done)
            switch outcome {
            case .imported(let what): bar.line(index + 1, "ok \(file.path): \(what)")
            case .existing(let what):
                existing += 1
                bar.line(index + 1, "ok \(file.path): \(what) (already on the ledger)")
            case .skipped:
                skipped += 1
                bar.line(index + 1, "skipped \(file.path) (in the journal)")
            case .failed(let why):
                failed += 1
                bar.error("FAILED \(file.path): \(why)")
            }
        }
        bar.finish()
        print(
            "\(files.count - failed - skipped - existing) imported, \(skipped) already done, \(existing) already on the ledger, \(failed) failed"
        )
        if failed > 0 { throw ExitCode(1) }
    }
}

/// A progress bar on a terminal; a plain line per file otherwise.
struct ProgressLine {
    let total: Int
    let isTerminal = isatty(STDOUT_FILENO) == 1

    func line(_ done: Int, _ text: String) {
        guard isTerminal else {
            print(text)
            return
        }
        let width = 30
        let filled = total == 0 ? width : done * width / total
        let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
        print("\r\u{1B}[2K[\(bar)] \(done)/\(total) \(text.prefix(60))", terminator: "")
        fflush(nil)
    }

    func error(_ text: String) {
        if isTerminal { print("\r\u{1B}[2K", terminator: "") }
        FileHandle.standardError.write(Data((text + "\n").utf8))
    }

    func finish() {
        if isTerminal { print("") }
    }
}

struct FHIRExportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "export",
        abstract: "Write all of your (the patient's) reports as one decrypted FHIR Bundle with their Provenance.")

    @OptionGroup var client: ClientOptions
    @Option(name: .long, help: "Write the Bundle here (default: standard output).")
    var out: String?

    func run() async throws {
        try await runClient {
            let bundle = try await FHIRExport.bundle(client: try client.client())
            let bytes = Data(bundle.encoded())
            if let out {
                try bytes.write(to: URL(fileURLWithPath: out), options: .atomic)
                print("\((bundle["entry"]?.array ?? []).count / 2) reports written to \(out)")
            } else {
                FileHandle.standardOutput.write(bytes)
            }
        }
    }
}
