import CSQLite

/// SQLite's SQLITE_TRANSIENT: tells SQLite to copy bound bytes before the call returns,
/// because Swift's buffers are only valid inside `withUnsafeBytes`.
private var transientDestructor: sqlite3_destructor_type { unsafeBitCast(-1, to: sqlite3_destructor_type.self) }

/// A prepared statement, lent by `SQLiteDatabase.withStatement(_:_:)` for the length of
/// one closure. Not `Sendable`: it is only valid on the connection's lock.
public final class SQLiteStatement {
    private let handle: OpaquePointer
    private let database: SQLiteDatabase
    /// The statement's SQL, named in errors.
    public let sql: String

    init(_ handle: OpaquePointer, database: SQLiteDatabase, sql: String) {
        self.handle = handle
        self.database = database
        self.sql = sql
    }

    /// Resets the statement and binds `values` to parameters 1…n.
    /// - Precondition: `values.count` is the statement's parameter count.
    public func bind(_ values: [SQLiteValue]) throws {
        precondition(
            values.count == Int(sqlite3_bind_parameter_count(handle)),
            "\(values.count) values for \(sqlite3_bind_parameter_count(handle)) parameters in \(sql)")
        sqlite3_reset(handle)
        sqlite3_clear_bindings(handle)
        for (offset, value) in values.enumerated() {
            try bind(value, at: Int32(offset + 1))
        }
    }

    /// Binds one value to the parameter at `index` (1-based).
    public func bind(_ value: SQLiteValue, at index: Int32) throws {
        let status: Int32
        switch value {
        case .integer(let number):
            status = sqlite3_bind_int64(handle, index, number)
        case .blob(let bytes) where bytes.isEmpty:
            // An empty array has no base address, and binding a nil pointer would store NULL.
            status = sqlite3_bind_zeroblob(handle, index, 0)
        case .blob(let bytes):
            status = bytes.withUnsafeBytes {
                sqlite3_bind_blob64(handle, index, $0.baseAddress, sqlite3_uint64($0.count), transientDestructor)
            }
        case .text(let string):
            // withCString's buffer holds all of the UTF-8, embedded NULs included, and is
            // non-nil even for "" (a nil pointer would bind NULL); the length is explicit.
            status = string.withCString {
                sqlite3_bind_text64(
                    handle, index, $0, sqlite3_uint64(string.utf8.count), transientDestructor,
                    UInt8(SQLITE_UTF8))
            }
        case .null:
            status = sqlite3_bind_null(handle, index)
        }
        guard status == SQLITE_OK else {
            throw database.error(status: status, operation: "bind parameter \(index) of", sql: sql)
        }
    }

    /// Advances to the next row.
    /// - Returns: true when a row is ready to read, false when the statement is done.
    public func step() throws -> Bool {
        switch sqlite3_step(handle) {
        case SQLITE_ROW: return true
        case SQLITE_DONE: return false
        case let status: throw database.error(status: status, operation: "step", sql: sql)
        }
    }

    /// Binds `values` and steps until done, discarding any rows.
    public func run(_ values: [SQLiteValue]) throws {
        try bind(values)
        while try step() {}
    }

    /// Binds `values` and collects every row.
    public func rows(_ values: [SQLiteValue]) throws -> [SQLiteRow] {
        try bind(values)
        var rows = [SQLiteRow]()
        while try step() { rows.append(currentRow()) }
        return rows
    }

    /// The number of columns in a result row.
    public var columnCount: Int { Int(sqlite3_column_count(handle)) }

    /// All columns of the current row.
    public func currentRow() -> SQLiteRow { (0..<columnCount).map { value(at: Int32($0)) } }

    /// The column at `index` (0-based) of the current row, in its stored storage class.
    public func value(at index: Int32) -> SQLiteValue {
        switch sqlite3_column_type(handle, index) {
        case SQLITE_INTEGER:
            return .integer(sqlite3_column_int64(handle, index))
        case SQLITE_TEXT:
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let text = sqlite3_column_text(handle, index) else { return .text("") }
            return .text(String(decoding: UnsafeBufferPointer(start: text, count: count), as: UTF8.self))
        case SQLITE_NULL:
            return .null
        case SQLITE_FLOAT:
            // The ledger never stores floats; report one as text so a reader fails on it
            // by type instead of silently truncating it.
            return .text(String(sqlite3_column_double(handle, index)))
        default:
            // The pointer must be fetched before the length (SQLite's documented order).
            let bytes = sqlite3_column_blob(handle, index)
            let count = Int(sqlite3_column_bytes(handle, index))
            guard let bytes, count > 0 else { return .blob([]) }
            return .blob(Array(UnsafeRawBufferPointer(start: bytes, count: count)))
        }
    }
}
