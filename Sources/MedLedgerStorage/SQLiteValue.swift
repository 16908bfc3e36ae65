import MedLedgerCore

/// One value bound to, or read from, an SQLite statement.
public enum SQLiteValue: Hashable, Sendable {
    case integer(Int64)
    case blob([UInt8])
    case text(String)
    case null

    /// The integer, or nil for any other storage class.
    public var integer: Int64? { if case .integer(let value) = self { value } else { nil } }
    /// The bytes, or nil for any other storage class. A zero-length blob is `[]`, not nil.
    public var blob: [UInt8]? { if case .blob(let value) = self { value } else { nil } }
    /// The text, or nil for any other storage class.
    public var text: String? { if case .text(let value) = self { value } else { nil } }
    public var isNull: Bool { self == .null }

    /// A height or other unsigned count as an SQLite integer.
    /// - Precondition: `value` fits in Int64 (heights and times never reach 2^63).
    public static func unsigned(_ value: UInt64) -> SQLiteValue {
        precondition(value <= UInt64(Int64.max), "value \(value) does not fit an SQLite integer")
        return .integer(Int64(value))
    }

    /// A block height as an SQLite integer.
    public static func height(_ height: Height) -> SQLiteValue { unsigned(height.rawValue) }

    /// The integer as an unsigned value, or nil when absent or negative.
    public var unsigned: UInt64? {
        guard let value = integer, value >= 0 else { return nil }
        return UInt64(value)
    }
}

/// One result row: the columns in the order the SELECT named them.
public typealias SQLiteRow = [SQLiteValue]
