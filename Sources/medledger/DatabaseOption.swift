import ArgumentParser
import MedLedgerPostgres
import MedLedgerStorage

/// `--database`: where a node's ledger (blocks, receipts, state, event index) lives, for
/// `node start` and `verify`. Absent: the embedded SQLite file `ledger.sqlite` in the data
/// directory. A `postgres://` URL: a PostgreSQL server (`PostgresLedgerStore`). The genesis,
/// the node's keys and the blobs stay in the data directory either way.
enum DatabaseOption {
    static let help: ArgumentHelp = """
        Keep the ledger in PostgreSQL: postgres://USER@HOST[:PORT]/DATABASE[?schema=NAME&sslmode=require] \
        (password from PGPASSWORD). Default: ledger.sqlite in --data-dir.
        """

    /// Parses `text`; the error names the option and the part that is wrong.
    static func url(_ text: String) throws -> PostgresURL {
        guard PostgresURL.looksLikeOne(text) else {
            throw ValidationError(
                "--database must be a postgres:// URL, e.g. postgres://medledger@127.0.0.1:5432/medledger (leave it out for the embedded SQLite store)"
            )
        }
        do { return try PostgresURL(text) } catch { throw ValidationError("--database: \(error)") }
    }

    /// Opens the ledger `text` names, or nil for the default (SQLite in the data directory).
    static func open(_ text: String?) throws -> (any LedgerDatabase)? {
        guard let text else { return nil }
        return try PostgresLedgerStore(url: try url(text))
    }
}
