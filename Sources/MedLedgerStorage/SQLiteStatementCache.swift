import CSQLite

/// A connection's prepared statements, kept by their SQL text so a statement run on every
/// block or request is compiled once.
///
/// Why: a validator's commit and its API run the same statements on every block and every
/// request, and compiling them again each time was about 1.5 % of a node's CPU under load
/// (SQLite's parser and code generator; `docs/performance.md`, "Requests, not heights").
///
/// A statement is taken out while in use and given back after, reset and with its bindings
/// cleared, so a reset statement holds no read snapshot and a nested use of the same SQL
/// prepares a second one instead of sharing it. At most `capacity` are kept: beyond that a
/// statement is finalized when given back, so SQL built from values cannot grow the cache.
/// Used only under the connection's lock.
struct SQLiteStatementCache {
    static let capacity = 64
    private var idle: [String: OpaquePointer] = [:]

    var count: Int { idle.count }

    /// The idle statement for `sql`, taken out of the cache, or nil.
    mutating func take(_ sql: String) -> OpaquePointer? { idle.removeValue(forKey: sql) }

    /// Takes back a statement after use: reset and kept, or finalized when the cache is full
    /// or already holds one for the same SQL.
    mutating func giveBack(_ statement: OpaquePointer, sql: String) {
        sqlite3_reset(statement)
        sqlite3_clear_bindings(statement)
        guard idle.count < Self.capacity, idle[sql] == nil else {
            sqlite3_finalize(statement)
            return
        }
        idle[sql] = statement
    }

    /// Finalizes every kept statement (before the connection closes).
    mutating func finalizeAll() {
        for statement in idle.values { sqlite3_finalize(statement) }
        idle.removeAll()
    }
}
