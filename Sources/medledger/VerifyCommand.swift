import ArgumentParser
import MedLedgerVerifier
import MedLedgerStorage
import Foundation
import MedLedgerCore

struct VerifyCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "verify",
        abstract: "Check a node's data directory for any change to any byte.",
        discussion: """
            Re-executes every block from the genesis and checks the hash chain, every commit certificate,
            every transaction signature, receipts, state roots, the stored state, and every encrypted blob
            against its address. Exits 0 when intact, 1 naming the first bad height, record or blob.
            Run it on a stopped node, or on a copy.
            """
    )

    @Option(name: .long, help: "The node's data directory.")
    var dataDir: String

    @Option(
        name: .long,
        help:
            "The genesis hash you trust (64 hex, from your consortium); without it the directory's own genesis.json is trusted."
    )
    var genesisHash: String?

    @Option(name: .long, help: DatabaseOption.help) var database: String?

    @Option(name: .long, help: "Print progress every this many blocks.")
    var progressEvery: UInt64 = 1_000

    func validate() throws {
        guard progressEvery > 0 else { throw ValidationError("--progress-every must be at least 1") }
        if let genesisHash, Hash256(hex: genesisHash) == nil {
            throw ValidationError("--genesis-hash must be 64 hex characters")
        }
        if let database { _ = try DatabaseOption.url(database) }
        guard FileManager.default.fileExists(atPath: dataDir) else {
            throw ValidationError("--data-dir \(dataDir) does not exist")
        }
    }

    func run() throws {
        let directory = DataDirectory(path: dataDir)
        let ledgerNote = database.flatMap { try? DatabaseOption.url($0) }.map { ", ledger in \($0)" } ?? ""
        print("Verifying \(directory.url.path)\(ledgerNote) ...")
        do {
            let expected = genesisHash.flatMap(Hash256.init(hex:))
            if expected == nil {
                print("  (no --genesis-hash given: trusting this directory's genesis.json)")
            }
            let database = database
            let verifier = LedgerVerifier(directory: directory) {
                try DatabaseOption.open(database) ?? LedgerStore(dataDirectory: directory.url)
            }
            let summary = try verifier.verify(
                expectedGenesisHash: expected,
                progressEvery: progressEvery
            ) { height, latest in
                print("  checked \(height) of \(latest) blocks")
            }
            print(
                "OK: \(summary.blocks) blocks, \(summary.transactions) transactions, \(summary.stateEntries) state entries, \(summary.blobs) blobs intact."
            )
        } catch {
            print("FAILED: \(error)")
            throw ExitCode(1)
        }
    }
}
