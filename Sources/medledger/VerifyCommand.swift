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

    @Option(
        name: .long,
        help:
            "Report progress every this many blocks (a line rewritten in place on a terminal, a line every 10 s otherwise)."
    )
    var progressEvery: UInt64 = 10

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
            let line = RateProgress()
            let summary: LedgerVerifier.Summary
            do {
                summary = try verifier.verify(
                    expectedGenesisHash: expected,
                    progressEvery: progressEvery
                ) { progress in
                    line.update(Self.describe(progress, seconds: line.elapsedSeconds))
                }
            } catch {
                line.finish()
                throw error
            }
            line.finish()
            let seconds = line.elapsedSeconds
            print(
                "OK: \(summary.blocks) blocks, \(summary.transactions) transactions, \(summary.stateEntries) state entries, \(summary.blobs) blobs intact."
            )
            print(
                String(
                    format: "Checked in %.1f s: %.1f blocks/s, %.0f transactions/s.", seconds,
                    Double(summary.blocks.rawValue) / max(seconds, 0.001),
                    Double(summary.transactions) / max(seconds, 0.001)))
        } catch {
            print("FAILED: \(error)")
            throw ExitCode(1)
        }
    }

    /// "checked 120 of 1000 blocks (12 %), 120,000 transactions, 310 tx/s".
    static func describe(_ progress: LedgerVerifier.Progress, seconds: Double) -> String {
        let percent = Double(progress.height.rawValue) * 100 / Double(max(progress.latest.rawValue, 1))
        return "  checked \(progress.height) of \(progress.latest) blocks"
            + String(format: " (%.0f %%), ", percent) + "\(RateProgress.grouped(progress.transactions)) transactions, "
            + String(
                format: "%.1f blocks/s, %.0f tx/s", Double(progress.height.rawValue) / max(seconds, 0.001),
                Double(progress.transactions) / max(seconds, 0.001))
    }
}
