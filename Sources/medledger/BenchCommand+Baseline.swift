import ArgumentParser
import Foundation
import MedLedgerBench
import MedLedgerPostgres

extension BenchCommand {
    /// `--baseline`: the centralized system the validators' throughput is compared with.
    enum Baseline: String, ExpressibleByArgument, CaseIterable {
        case postgres
    }

    func validateBaseline() throws {
        guard baseline != nil else {
            guard database == nil else { throw ValidationError("--database is for --baseline postgres") }
            return
        }
        guard let database else {
            throw ValidationError(
                "--baseline postgres needs --database postgres://USER@HOST[:PORT]/DATABASE (the server to write to)")
        }
        _ = try DatabaseOption.url(database)
        guard rate == nil else {
            throw ValidationError(
                "--baseline compares the most each side commits: leave out --rate (a paced run commits what it is offered)"
            )
        }
    }

    /// Writes as many registrations as the validators committed to one PostgreSQL server and
    /// prints both rates and their ratio (the RESULT_BASELINE line).
    func runBaseline(database: String, validators: LoadGenerator.Result) throws {
        let url = try DatabaseOption.url(database)
        let count = validators.committed
        guard count > 0 else { throw CLIError("--baseline: the validators committed nothing to compare with") }
        print("baseline: signing \(count) registrations (as many as the validators committed) ...")
        let transactions = PostgresBaseline.registrations(count: count)
        let result = try PostgresBaseline(url: url, log: { print($0) }).run(transactions)
        print(result.describe())
        let ratio = result.txPerSecond > 0 ? validators.txPerSecond / result.txPerSecond : 0
        print(
            String(
                format: "validators committed %.1f tx/s ÷ baseline %.1f tx/s = %.3f (goal: at least 0.5)",
                validators.txPerSecond, result.txPerSecond, ratio))
        print(
            String(
                format: "RESULT_BASELINE baseline_tx_per_s=%.1f validators_tx_per_s=%.1f ratio=%.3f registrations=%d",
                result.txPerSecond, validators.txPerSecond, ratio, result.registrations))
    }
}
