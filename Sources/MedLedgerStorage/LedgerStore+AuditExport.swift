import MedLedgerCore

extension LedgerStore: EventBytesReading {
    public func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws -> [StoredEventBytes] {
        precondition(limit >= 0 && limit <= Limits.auditExportPageRows, "limit must be 0-\(Limits.auditExportPageRows)")
        let rows = try database.query(
            Self.eventBytesPageSQL(subject: subject),
            [
                .blob(subject), .height(before.height), .integer(Int64(before.position)),
                .integer(Int64(before.eventIndex)), .integer(Int64(limit)),
            ])
        return try rows.map { row in
            guard let height = row[0].unsigned, let position = row[1].integer.flatMap({ Int(exactly: $0) }),
                let eventIndex = row[2].integer.flatMap({ Int(exactly: $0) }), position >= 0, eventIndex >= 0,
                let time = row[3].unsigned, let event = row[4].blob
            else {
                throw StorageError.corrupt(
                    table: "events", row: "height \(row[0].unsigned.map(String.init) ?? "\(row[0])")",
                    "a column is missing or of the wrong type")
            }
            return try StoredEventBytes.checked(
                height: height, position: position, eventIndex: eventIndex, time: time, transactionHash: row[5].blob,
                event: event)
        }
    }
}

extension LedgerStore {
    /// One page of `eventBytes`. Row-value comparison walks the index of the subject's rows
    /// (`audit_trail_rows` for a patient's audit trail, which holds every column read here,
    /// `events_by_subject` otherwise), as the decoded pages do (`events(subject:before:limit:)`).
    package static func eventBytesPageSQL(subject: [UInt8]) -> String {
        """
        SELECT e.height, e.position, e.event_index, e.time, e.event, e.transaction_hash FROM events e
        WHERE e.subject = ?\(indexCondition(subject: subject)) AND (e.height, e.position, e.event_index) < (?, ?, ?)
        ORDER BY e.height DESC, e.position DESC, e.event_index DESC LIMIT ?
        """
    }
}
