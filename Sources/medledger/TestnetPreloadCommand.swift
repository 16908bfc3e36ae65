import ArgumentParser
import Foundation
import MedLedgerCore
import MedLedgerNode

extension TestnetCommand {
    struct Preload: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Fill a fresh `testnet init` directory with a long committed chain, built offline.",
            discussion: """
                Builds the blocks as a proposer would (the same contracts and state root), signs each block's commit
                certificate with every validator's key (DIR/nodeK/node-key.json), and writes the chain into every
                node's ledger, so `node start` and `verify` accept it as if the network had made it. Mostly patient
                self-registrations; one audited patient's report is read --audit-events times by a practitioner of
                another organization (its key file: DIR/preload/audit-patient.json), and each block also carries a
                small episode (a report, a grant, a read) for another patient. Run it before starting the nodes.
                """)

        @Option(name: .long, help: "The directory `testnet init` wrote.") var dir: String
        @Option(name: .long, help: "Transactions in the whole chain (6-10000000).") var transactions: Int
        @Option(name: .long, help: "Transactions per block (8-\(Limits.blockMaxTransactions)).")
        var blockTransactions: Int = ChainPreload.Options.defaultBlockTransactions
        @Option(
            name: .long,
            help: "Reads in the audited patient's access trail (default: 10000, or a tenth of --transactions if less).")
        var auditEvents: Int?

        var options: ChainPreload.Options {
            ChainPreload.Options(
                transactions: transactions, blockTransactions: blockTransactions, auditEvents: auditEvents)
        }

        func validate() throws {
            if let problem = options.problem { throw ValidationError(problem) }
            guard FileManager.default.fileExists(atPath: dir) else {
                throw ValidationError("--dir \(dir) does not exist")
            }
        }

        func run() throws {
            let summary = try Self.preload(directory: URL(fileURLWithPath: dir, isDirectory: true), options: options)
            print(
                "Audited patient \(summary.auditPatient?.hex ?? "-"): \(summary.auditEvents) access events; key file \(dir)/preload/audit-patient.json"
            )
            print("Start each with: medledger node start --data-dir \(dir)/nodeK")
        }

        /// Runs the preload with a progress line and a final rate; shared with `bench --preload`.
        static func preload(directory: URL, options: ChainPreload.Options) throws -> ChainPreload.Summary {
            let preload: ChainPreload
            do { preload = try ChainPreload(directory: directory, options: options) } catch {
                throw CLIError("preload: \(error)")
            }
            print("Preloading \(directory.path) with \(RateProgress.grouped(options.transactions)) transactions ...")
            let line = RateProgress()
            let summary = try preload.run { progress in
                let rate = Double(progress.transactions) / max(line.elapsedSeconds, 0.001)
                line.update(
                    "  block \(progress.height) of \(progress.blocks): \(RateProgress.grouped(progress.transactions)) of "
                        + "\(RateProgress.grouped(progress.totalTransactions)) transactions, "
                        + String(format: "%.0f tx/s", rate))
            }
            line.finish()
            let seconds = line.elapsedSeconds
            print(
                "Preloaded \(summary.blocks) blocks, \(RateProgress.grouped(summary.transactions)) transactions "
                    + "(\(RateProgress.grouped(summary.registrations)) registrations, \(summary.reports) reports) in "
                    + String(
                        format: "%.1f s: %.0f tx/s, %.1f blocks/s", seconds, Double(summary.transactions) / seconds,
                        Double(summary.blocks.rawValue) / seconds) + "; app hash \(summary.stateRoot.hex)")
            return summary
        }
    }
}
