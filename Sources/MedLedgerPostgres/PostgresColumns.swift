import MedLedgerStorage
import PostgresNIO

/// Reads the columns of one result row, turning a NULL or a value of the wrong type into a
/// `StorageError` that names the table, the row and the column, as SQLite's reads do.
struct PostgresColumns {
    let row: PostgresRandomAccessRow
    let table: String
    let rowName: String

    init(_ row: PostgresRandomAccessRow, table: String, row rowName: String) {
        self.row = row
        self.table = table
        self.rowName = rowName
    }

    private func damaged(_ column: String, _ reason: String) -> StorageError {
        StorageError.corrupt(table: table, row: rowName, "\(column) \(reason)")
    }

    /// The bytes of a BYTEA column.
    func bytes(_ index: Int, _ column: String) throws -> [UInt8] {
        guard let bytes = optionalBytes(index) else { throw damaged(column, "is missing") }
        return bytes
    }

    /// The bytes of a BYTEA column, or nil when it is NULL (a LEFT JOIN that found nothing).
    func optionalBytes(_ index: Int) -> [UInt8]? {
        guard index < row.count, let buffer = row[index].bytes else { return nil }
        return Array(buffer.readableBytesView)
    }

    /// A BIGINT column.
    func integer(_ index: Int, _ column: String) throws -> Int64 {
        guard index < row.count, row[index].bytes != nil else { throw damaged(column, "is missing") }
        do { return try row[index].decode(Int64.self) } catch { throw damaged(column, "is not an integer") }
    }

    /// A BIGINT column that must not be negative (heights, times).
    func unsigned(_ index: Int, _ column: String) throws -> UInt64 {
        let value = try integer(index, column)
        guard value >= 0 else { throw damaged(column, "is negative") }
        return UInt64(value)
    }

    /// A non-negative BIGINT column that fits an Int (positions, counts).
    func count(_ index: Int, _ column: String) throws -> Int {
        guard let value = Int(exactly: try unsigned(index, column)) else { throw damaged(column, "is too large") }
        return value
    }

    /// A non-negative BIGINT, or nil when NULL (an aggregate over no rows).
    func optionalUnsigned(_ index: Int) throws -> UInt64? {
        guard index < row.count, row[index].bytes != nil else { return nil }
        return try unsigned(index, row[index].columnName)
    }
}
