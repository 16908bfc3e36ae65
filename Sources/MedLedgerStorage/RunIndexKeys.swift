import MedLedgerCore

/// The keys of the ledger's two run indexes (`SortedRunIndex`): each names one row by the
/// value looked up first and the row's coordinates after it, so keys are distinct and a
/// lookup is a range of keys that share a prefix.
///
/// Coordinates are 8-byte big-endian integers, so byte order is numeric order. A range's
/// upper end is its prefix followed by more 0xFF bytes than any key has after the prefix:
/// greater than every key with the prefix, and smaller than any key of a greater prefix.
enum RunIndexKeys {
    /// The index of transactions by hash.
    static let transactions = SortedRunIndex(table: "transaction_hash_runs")
    /// The index of event rows by subject (audit trails excepted: `audit_trail_rows`).
    static let eventSubjects = SortedRunIndex(table: "event_subject_runs")

    /// Bytes after a prefix that sort above any key's suffix (three 8-byte coordinates).
    private static let above = [UInt8](repeating: 0xFF, count: 25)

    /// `hash`, height, position.
    static func transaction(hash: [UInt8], height: Height, position: Int) -> [UInt8] {
        hash + bigEndian(height.rawValue) + bigEndian(UInt64(position))
    }

    /// The range (exclusive at both ends) of the keys of transactions with `hash`.
    static func transactionRange(hash: [UInt8]) -> (lower: [UInt8], upper: [UInt8]) { (hash, hash + above) }

    /// The height and position a transaction key names, nil when it is not one of `hash`.
    static func transactionCoordinates(_ key: [UInt8], hash: [UInt8]) -> (height: Height, position: Int)? {
        guard key.count == hash.count + 16, key.starts(with: hash) else { return nil }
        let height = integer(key, at: hash.count)
        let position = integer(key, at: hash.count + 8)
        guard position <= UInt64(Int.max) else { return nil }
        return (Height(height), Int(position))
    }

    /// The length of `subject` (2 bytes), then `subject`: what every key of its rows starts
    /// with, so that no subject's keys fall among a longer subject's. Nil when `subject` is
    /// longer than 65,535 bytes (no stored row can have such a subject).
    static func eventPrefix(subject: [UInt8]) -> [UInt8]? {
        guard let length = UInt16(exactly: subject.count) else { return nil }
        return [UInt8(length >> 8), UInt8(length & 0xFF)] + subject
    }

    /// The prefix, then the row's height, position and event index.
    static func event(prefix: [UInt8], height: Height, position: Int, eventIndex: Int) -> [UInt8] {
        prefix + bigEndian(height.rawValue) + bigEndian(UInt64(position)) + bigEndian(UInt64(eventIndex))
    }

    /// The prefix, then the cursor's coordinates.
    static func event(prefix: [UInt8], cursor: EventCursor) -> [UInt8] {
        event(prefix: prefix, height: cursor.height, position: cursor.position, eventIndex: cursor.eventIndex)
    }

    /// Above every key that starts with `prefix`.
    static func end(of prefix: [UInt8]) -> [UInt8] { prefix + above }

    /// The coordinates an event key names, nil when it does not start with `prefix` or has
    /// the wrong length.
    static func eventCoordinates(_ key: [UInt8], prefix: [UInt8]) -> EventCursor? {
        guard key.count == prefix.count + 24, key.starts(with: prefix) else { return nil }
        let position = integer(key, at: prefix.count + 8)
        let eventIndex = integer(key, at: prefix.count + 16)
        guard position <= UInt64(Int.max), eventIndex <= UInt64(Int.max) else { return nil }
        return EventCursor(
            height: Height(integer(key, at: prefix.count)), position: Int(position), eventIndex: Int(eventIndex))
    }

    private static func bigEndian(_ value: UInt64) -> [UInt8] {
        (0..<8).map { UInt8(truncatingIfNeeded: value >> (56 - 8 * $0)) }
    }

    private static func integer(_ bytes: [UInt8], at offset: Int) -> UInt64 {
        bytes[offset..<offset + 8].reduce(0) { $0 << 8 | UInt64($1) }
    }
}
