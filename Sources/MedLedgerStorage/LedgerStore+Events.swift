import MedLedgerCore

extension LedgerStore {
    /// The events filed under `subject` (an identity, report or grant id), oldest first:
    /// ordered by height, transaction position and event index.
    /// - Parameters:
    ///   - subject: the id bytes, as in `LedgerEvent.subjects`.
    ///   - limit: the most rows to return.
    /// - Throws: `StorageError` (`.corruptData`) naming the height when a row is damaged.
    public func events(subject: [UInt8], limit: Int) throws -> [IndexedEvent] {
        precondition(limit >= 0, "limit must not be negative")
        let sql = """
            SELECT e.height, e.position, e.event_index, e.time, e.event, t.hash
            FROM events e LEFT JOIN transactions t ON t.height = e.height AND t.position = e.position
            WHERE e.subject = ? ORDER BY e.height, e.position, e.event_index LIMIT ?
            """
        return try database.query(sql, [.blob(subject), .integer(Int64(limit))]).map(indexedEvent)
    }

    private func indexedEvent(_ row: SQLiteRow) throws -> IndexedEvent {
        let rowName = "height \(row[0].unsigned.map(String.init) ?? "\(row[0])")"
        guard let height = row[0].unsigned, let position = row[1].integer.flatMap({ Int(exactly: $0) }),
              let eventIndex = row[2].integer.flatMap({ Int(exactly: $0) }), let time = row[3].unsigned,
              let eventBytes = row[4].blob else {
            throw StorageError.corrupt(table: "events", row: rowName, "a column is missing or of the wrong type")
        }
        let event = try decodeColumn("events", rowName, "event") { () throws(CanonicalDecodingError) in
            try LedgerEvent.decode(canonical: eventBytes)
        }
        var transactionHash: Hash256?
        if let hashBytes = row[5].blob {
            guard let hash = Hash256(bytes: hashBytes) else {
                throw StorageError.corrupt(table: "transactions", row: rowName, "hash is not 32 bytes")
            }
            transactionHash = hash
        }
        return IndexedEvent(height: height, position: position, eventIndex: eventIndex,
                            time: ConsensusTime(milliseconds: time), transactionHash: transactionHash, event: event)
    }
}
