import CSQLite
import Foundation

/// A thin wrapper over one SQLite connection.
///
/// Thread safety: every call takes a recursive lock for its whole duration, and
/// `transaction(_:)` holds it across its body, so statements of other threads never
/// interleave with a transaction and SQLite's per-connection error message is read by the
/// thread that caused it. The lock is recursive so a transaction's body can call back into
/// the database. That lock is why the class can be `@unchecked Sendable`.
///
/// Durability: WAL journal with `synchronous=FULL`, so a transaction that returned from
/// COMMIT survives a power loss, and readers in other connections never see half of it.
///
/// Checkpoints: SQLite's own by default (a commit that takes the log past 1,000 pages copies
/// it back); with `CheckpointPolicy.background`, a thread of the database's own does that
/// copy (`WALCheckpointer`), and a commit only does it once the log is far larger.
public final class SQLiteDatabase: @unchecked Sendable {
    /// Who copies the write-ahead log back into the main file.
    public enum CheckpointPolicy: Sendable, Equatable {
        /// SQLite's automatic checkpoint, inside the commit that takes the log past 1,000 pages.
        case inCommit
        /// A thread of its own from `requestFrames` pages on; the commit itself only from
        /// `inlineFrames` on, which bounds the log when that thread cannot keep up.
        case background(requestFrames: Int32, inlineFrames: Int32)

        /// What the node's ledger uses (see `WALCheckpointer`).
        public static let backgroundDefault = background(
            requestFrames: WALCheckpointer.requestFrames, inlineFrames: WALCheckpointer.inlineFrames)
    }

    /// The file this connection opened.
    public let path: String
    private let handle: OpaquePointer
    private let lock = NSRecursiveLock()
    /// Statements kept for reuse; only touched under `lock`.
    private var statements = SQLiteStatementCache()
    /// The background checkpoints' thread and connection, with `CheckpointPolicy.background`;
    /// the log hook's context, so it outlives the hook (removed in `deinit`).
    private var checkpointer: WALCheckpointer?

    /// Opens (creating if needed) the database at `path`.
    /// - Parameters:
    ///   - path: a file path, or ":memory:" for a private in-memory database.
    ///   - busyTimeoutMilliseconds: how long a write waits for another connection's write lock.
    ///   - checkpoints: who copies the log back; ignored for ":memory:", which has no log.
    /// - Throws: `StorageError` when the file cannot be opened or configured.
    public init(
        path: String, busyTimeoutMilliseconds: Int32 = 5_000, checkpoints: CheckpointPolicy = .inCommit
    ) throws {
        precondition(busyTimeoutMilliseconds >= 0, "busy timeout must not be negative")
        var connection: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_FULLMUTEX
        let status = sqlite3_open_v2(path, &connection, flags, nil)
        guard status == SQLITE_OK, let connection else {
            let reason = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw StorageError(.sqlite, "open \(path): \(reason)", sqliteCode: status)
        }
        self.path = path
        self.handle = connection
        sqlite3_extended_result_codes(connection, 1)
        sqlite3_busy_timeout(connection, busyTimeoutMilliseconds)
        try configure()
        if case .background(let requestFrames, let inlineFrames) = checkpoints, path != ":memory:" {
            let checkpointer = try WALCheckpointer(path: path, requestAt: requestFrames, inlineAt: inlineFrames)
            self.checkpointer = checkpointer
            // Replaces SQLite's automatic checkpoint, which is this same hook.
            sqlite3_wal_hook(connection, walHook, Unmanaged.passUnretained(checkpointer).toOpaque())
        }
    }

    deinit {
        if let checkpointer {
            sqlite3_wal_hook(handle, nil, nil)
            checkpointer.stop()
        }
        statements.finalizeAll()
        sqlite3_close_v2(handle)
    }

    /// Checkpoints the background thread has run (nil without one); tests wait on it.
    var backgroundCheckpoints: Int? { checkpointer?.completed }

    private func configure() throws {
        let mode = try query("PRAGMA journal_mode=WAL").first?.first?.text?.lowercased()
        // An in-memory database has no journal file, so it reports "memory" instead.
        guard mode == "wal" || (path == ":memory:" && mode == "memory") else {
            throw StorageError(.sqlite, "open \(path): journal_mode is \(mode ?? "unknown"), not wal")
        }
        try execute("PRAGMA synchronous=FULL; PRAGMA foreign_keys=ON; PRAGMA cache_size=\(-Self.pageCacheKibibytes);")
    }

    /// SQLite's page cache per connection, in KiB (its default is 2 MiB). A validator under
    /// load read the pages of its indexes back from the kernel on every block (a profile in
    /// `docs/performance.md`); 64 MiB keeps the hot pages of a busy ledger in the process.
    static let pageCacheKibibytes = 65_536

    /// Runs one or more SQL statements that take no parameters, discarding any rows.
    /// - Throws: `StorageError` naming the statement and SQLite's message.
    public func execute(_ sql: String) throws {
        try locked {
            var errorMessage: UnsafeMutablePointer<CChar>?
            let status = sqlite3_exec(handle, sql, nil, nil, &errorMessage)
            guard status == SQLITE_OK else {
                let reason = errorMessage.map { String(cString: $0) } ?? String(cString: sqlite3_errmsg(handle))
                sqlite3_free(errorMessage)
                throw error(status: status, operation: "execute", sql: sql, reason: reason)
            }
        }
    }

    /// Hands `body` the prepared statement for `sql`: kept from an earlier call when there is
    /// one (`SQLiteStatementCache`), else compiled now; reset afterwards. The statement must
    /// not escape `body`: it belongs to this connection and to this lock.
    /// - Throws: `StorageError` when `sql` does not compile; whatever `body` throws.
    public func withStatement<T>(_ sql: String, _ body: (SQLiteStatement) throws -> T) throws -> T {
        try locked {
            let statement = try statements.take(sql) ?? prepare(sql)
            defer { statements.giveBack(statement, sql: sql) }
            return try body(SQLiteStatement(statement, database: self, sql: sql))
        }
    }

    /// The number of statements kept for reuse (tests check the bound).
    var keptStatementCount: Int { locked { statements.count } }

    private func prepare(_ sql: String) throws -> OpaquePointer {
        var statement: OpaquePointer?
        // PERSISTENT: SQLite allocates it expecting a long life and reuse.
        let status = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard status == SQLITE_OK, let statement else {
            throw error(status: status, operation: "prepare", sql: sql)
        }
        return statement
    }

    /// Runs one statement with `values` bound to its parameters, discarding any rows.
    /// - Returns: the number of rows the statement inserted, updated or deleted.
    @discardableResult
    public func run(_ sql: String, _ values: [SQLiteValue] = []) throws -> Int {
        try withStatement(sql) { statement in
            try statement.run(values)
            return Int(sqlite3_changes64(handle))
        }
    }

    /// Runs one statement with `values` bound to its parameters and returns all its rows.
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws -> [SQLiteRow] {
        try withStatement(sql) { statement in try statement.rows(values) }
    }

    /// Runs `body` inside `BEGIN IMMEDIATE` … `COMMIT`, rolling back when it throws.
    ///
    /// IMMEDIATE takes the write lock at the start, so a transaction never fails half way
    /// because another connection wrote first. Transactions do not nest.
    /// - Throws: whatever `body` throws (after the rollback), or `StorageError` from SQLite.
    @discardableResult
    public func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            precondition(sqlite3_get_autocommit(handle) != 0, "SQLiteDatabase transactions do not nest")
            try run("BEGIN IMMEDIATE")
            do {
                let result = try body()
                try run("COMMIT")
                return result
            } catch {
                // After a failed COMMIT SQLite may already have rolled back; only roll back
                // when a transaction is still open, and keep the original error.
                if sqlite3_get_autocommit(handle) == 0 { try? execute("ROLLBACK") }
                throw error
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    /// Builds the error for a failed call; reads SQLite's message unless one is given.
    /// Must be called while holding the lock, right after the failing call.
    func error(status: Int32, operation: String, sql: String, reason: String? = nil) -> StorageError {
        let message = reason ?? String(cString: sqlite3_errmsg(handle))
        let kind: StorageError.Kind = status & 0xff == SQLITE_CONSTRAINT ? .constraint : .sqlite
        return StorageError(
            kind, "\(operation) `\(Self.abbreviate(sql))`: \(message) (code \(status))",
            sqliteCode: status)
    }

    /// The first line of a statement, shortened: enough to find it in the source.
    private static func abbreviate(_ sql: String) -> String {
        let line = sql.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }
}

/// SQLite's log hook: (context, connection, schema name, frames now in the log) -> status.
private typealias WALHook =
    @convention(c) (
        UnsafeMutableRawPointer?, OpaquePointer?, UnsafePointer<CChar>?, Int32
    ) -> Int32

/// Runs after each commit, inside the connection's lock; the context is the database's
/// `WALCheckpointer`.
private let walHook: WALHook = { context, connection, schema, frames in
    guard let context else { return SQLITE_OK }
    Unmanaged<WALCheckpointer>.fromOpaque(context).takeUnretainedValue()
        .commitLeft(frames: frames, connection: connection, schema: schema)
    return SQLITE_OK
}
