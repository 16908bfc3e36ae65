import MedLedgerCore

/// One row of the event index, as stored.
public struct EventRow: Hashable, Sendable, Comparable {
    public let subject: [UInt8]
    public let position: Int
    public let eventIndex: Int
    public let time: UInt64
    public let event: [UInt8]
    /// The hash of the transaction at `position`, whose receipt holds the event.
    public let transactionHash: [UInt8]

    public init(
        subject: [UInt8], position: Int, eventIndex: Int, time: UInt64, event: [UInt8], transactionHash: [UInt8]
    ) {
        self.subject = subject
        self.position = position
        self.eventIndex = eventIndex
        self.time = time
        self.event = event
        self.transactionHash = transactionHash
    }

    public static func < (lhs: EventRow, rhs: EventRow) -> Bool {
        (lhs.position, lhs.eventIndex) != (rhs.position, rhs.eventIndex)
            ? (lhs.position, lhs.eventIndex) < (rhs.position, rhs.eventIndex)
            : lhs.subject.lexicographicallyPrecedes(rhs.subject)
    }

    /// The rows a block's receipts must have produced: each event once under each distinct
    /// subject (`StoredRowDecoding.eventIndexRows`, the rows a commit writes), with the
    /// block's time and the hash of the transaction at its position.
    /// - Precondition: one receipt per transaction.
    public static func expected(
        header: BlockHeader, transactions: [Transaction], receipts: [TransactionReceipt]
    ) -> [EventRow] {
        precondition(transactions.count == receipts.count, "one receipt per transaction")
        return StoredRowDecoding.eventIndexRows(receipts).map { row in
            EventRow(
                subject: row.subject, position: row.position, eventIndex: row.eventIndex,
                time: header.time.milliseconds, event: row.event,
                transactionHash: transactions[row.position].hash.bytes)
        }.sorted()
    }
}

extension LedgerStore {
    /// Every event-index row of one block, sorted (for `verify`, which re-derives them).
    public func eventRows(height: Height) throws -> [EventRow] {
        let rows = try database.query(
            "SELECT subject, position, event_index, time, event, transaction_hash FROM events WHERE height = ?",
            [.height(height)])
        return try rows.map { row in
            guard let subject = row[0].blob, let position = row[1].integer.flatMap({ Int(exactly: $0) }),
                let eventIndex = row[2].integer.flatMap({ Int(exactly: $0) }), let time = row[3].unsigned,
                let event = row[4].blob, let transactionHash = row[5].blob
            else {
                throw StorageError.corrupt(
                    table: "events", row: "height \(height)", "a column is missing or of the wrong type")
            }
            return EventRow(
                subject: subject, position: position, eventIndex: eventIndex, time: time, event: event,
                transactionHash: transactionHash)
        }.sorted()
    }
}
