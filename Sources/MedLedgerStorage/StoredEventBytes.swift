import MedLedgerCore

/// One row of the event index as stored, with the hash of the transaction that raised it:
/// the event's canonical bytes undecoded, for readers that pass them on as they are (an
/// audit-trail export copies them into its records).
public struct StoredEventBytes: Hashable, Sendable {
    public let height: Height
    public let position: Int
    public let eventIndex: Int
    /// The block's consensus time, in milliseconds.
    public let time: UInt64
    public let transactionHash: Hash256?
    /// `LedgerEvent`'s canonical bytes, as the index holds them.
    public let event: [UInt8]

    /// The cursor that continues a newest-first list just after (older than) this row.
    public var cursor: EventCursor { EventCursor(height: height, position: position, eventIndex: eventIndex) }

    /// The row decoded, with the same checks and errors as the stores' `events` reads.
    public func decoded() throws -> IndexedEvent {
        try StoredRowDecoding.indexedEvent(
            height: height.rawValue, position: position, eventIndex: eventIndex, time: time, event: event,
            transactionHash: transactionHash?.bytes)
    }

    /// Checks the columns every store reads the same way: the positions within their limits
    /// and the hash 32 bytes.
    /// - Throws: `StorageError` (`.corruptData`) naming the row.
    package static func checked(
        height: UInt64, position: Int, eventIndex: Int, time: UInt64, transactionHash: [UInt8]?, event: [UInt8]
    ) throws -> StoredEventBytes {
        let row = "height \(height)"
        guard position < Limits.blockMaxTransactions, eventIndex < Limits.receiptEventsMaxCount else {
            throw StorageError.corrupt(
                table: "events", row: row, "position \(position) or event index \(eventIndex) is out of range")
        }
        let hash = try StoredRowDecoding.eventTransactionHash(transactionHash, row: row)
        return StoredEventBytes(
            height: Height(height), position: position, eventIndex: eventIndex, time: time, transactionHash: hash,
            event: event)
    }
}

/// A store that hands out event-index rows without decoding them: part of `LedgerDatabase`,
/// kept in its own protocol beside the rows it returns.
public protocol EventBytesReading {
    /// One page of the rows filed under `subject` strictly before `before`, newest first
    /// (by height, position, event index, descending), events undecoded.
    /// - Precondition: `limit` is 0…`Limits.auditExportPageRows`.
    /// - Throws: `StorageError` (`.corruptData`) naming the height when a row is damaged.
    func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws -> [StoredEventBytes]
}
