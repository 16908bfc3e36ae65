/// A storage failure: SQLite or PostgreSQL refused an operation, a file could not be read or written, or
/// bytes on disk did not decode. Always thrown, never a crash: a node that meets one can
/// report it and stop cleanly, and `medledger verify` can name what is damaged.
public struct StorageError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, coarse enough to act on. New kinds may be added, so match with `==`
    /// rather than exhaustively.
    public struct Kind: Hashable, Sendable, CustomStringConvertible {
        private enum Code: Hashable, Sendable {
            case sqlite, postgres, constraint, corruptData, io, tooLarge, invalidState
        }
        private let code: Code
        private init(_ code: Code) { self.code = code }

        /// SQLite reported an error other than a constraint violation.
        public static let sqlite = Kind(.sqlite)
        /// PostgreSQL reported an error other than a constraint violation, or the connection
        /// to its server failed.
        public static let postgres = Kind(.postgres)
        /// A UNIQUE, PRIMARY KEY, NOT NULL or FOREIGN KEY constraint failed.
        public static let constraint = Kind(.constraint)
        /// Stored bytes are not what was written: they do not decode, or do not match their hash.
        public static let corruptData = Kind(.corruptData)
        /// A file-system operation failed.
        public static let io = Kind(.io)
        /// A value is over a limit in `Limits`.
        public static let tooLarge = Kind(.tooLarge)
        /// The store is in a state the call cannot proceed from (schema version, genesis).
        public static let invalidState = Kind(.invalidState)

        public var description: String { String(describing: code) }
    }

    public let kind: Kind
    /// Names the operation and the thing it was about (SQL statement, table and row, file).
    public let message: String
    /// SQLite's extended result code, when SQLite reported the failure.
    public let sqliteCode: Int32?

    package init(_ kind: Kind, _ message: String, sqliteCode: Int32? = nil) {
        self.kind = kind
        self.message = message
        self.sqliteCode = sqliteCode
    }

    /// Stored bytes of `table` at `row` (for example "height 5" or "key 'genesis'") are bad.
    package static func corrupt(table: String, row: String, _ reason: String) -> StorageError {
        StorageError(.corruptData, "\(table) row \(row): \(reason)")
    }

    public var description: String { "storage error (\(kind)): \(message)" }
}
