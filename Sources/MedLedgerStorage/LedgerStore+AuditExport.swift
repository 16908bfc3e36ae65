import MedLedgerCore

extension LedgerStore: EventBytesReading {
    public func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws -> [StoredEventBytes] {
        precondition(limit >= 0 && limit <= Limits.auditExportPageRows, "limit must be 0-\(Limits.auditExportPageRows)")
        let rows =
            Self.isAuditTrail(subject)
            ? try database.query(
                Self.pageBeforeCursorSQL(subject: subject),
                Self.pageBinds(subject: subject, cursor: before, limit: limit))
            : try eventRows(
                subject: subject,
                at: eventCoordinates(subject: subject, after: nil, before: before, descending: true, limit: limit))
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
