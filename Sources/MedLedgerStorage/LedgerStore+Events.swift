import MedLedgerCore

extension LedgerStore {
    /// One page of the events filed under `subject` (an id or an `EventIndexKey`), newest
    /// first: ordered by height, transaction position and event index, descending.
    /// - Parameters:
    ///   - subject: the key bytes, as in `LedgerEvent.subjects`.
    ///   - before: where the previous page ended; nil for the newest page.
    ///   - limit: the most rows to return (at most `PageLimits.maxItems`).
    /// - Throws: `StorageError` (`.corruptData`) naming the height when a row is damaged.
    public func events(subject: [UInt8], before: EventCursor?, limit: Int) throws -> [IndexedEvent] {
        precondition(limit >= 0 && limit <= PageLimits.maxItems, "limit must be 0-\(PageLimits.maxItems)")
        guard Self.isAuditTrail(subject) else {
            return try events(
                subject: subject,
                at: eventCoordinates(subject: subject, after: nil, before: before, descending: true, limit: limit))
        }
        let select = Self.indexedEventSelect
        let order = "ORDER BY e.height DESC, e.position DESC, e.event_index DESC LIMIT ?"
        guard let before else {
            return try database.query(
                "\(select) WHERE e.subject = ?\(Self.indexCondition(subject: subject)) \(order)",
                [.blob(subject), .integer(Int64(limit))]
            ).map(indexedEvent)
        }
        return try database.query(
            Self.pageBeforeCursorSQL(subject: subject), Self.pageBinds(subject: subject, cursor: before, limit: limit)
        ).map(indexedEvent)
    }

    /// One newest-first page of `subject`'s rows strictly before a cursor, the columns
    /// `indexedEvent` reads: shared by the decoded pages and the undecoded ones of the
    /// export (`eventBytes`). Row-value comparison walks the index of the subject's rows
    /// (`audit_trail_rows`, which holds every column read here). Only for audit trails: other
    /// subjects are found through their run index. Bound by `pageBinds`.
    package static func pageBeforeCursorSQL(subject: [UInt8]) -> String {
        """
        \(indexedEventSelect) WHERE e.subject = ?\(indexCondition(subject: subject))
        AND (e.height, e.position, e.event_index) < (?, ?, ?)
        ORDER BY e.height DESC, e.position DESC, e.event_index DESC LIMIT ?
        """
    }

    /// The values of a page query's `?`s: subject, cursor, limit.
    static func pageBinds(subject: [UInt8], cursor: EventCursor, limit: Int) -> [SQLiteValue] {
        [
            .blob(subject), .height(cursor.height), .integer(Int64(cursor.position)),
            .integer(Int64(cursor.eventIndex)), .integer(Int64(limit)),
        ]
    }

    /// The columns `indexedEvent` reads: shared by the newest-first pages and the
    /// oldest-first replay so the two cannot drift apart.
    static let indexedEventSelect = """
        SELECT e.height, e.position, e.event_index, e.time, e.event, e.transaction_hash FROM events e
        """

    private func indexedEvent(_ row: SQLiteRow) throws -> IndexedEvent {
        let rowName = "height \(row[0].unsigned.map(String.init) ?? "\(row[0])")"
        guard let height = row[0].unsigned, let position = row[1].integer.flatMap({ Int(exactly: $0) }),
            let eventIndex = row[2].integer.flatMap({ Int(exactly: $0) }), let time = row[3].unsigned,
            let eventBytes = row[4].blob
        else {
            throw StorageError.corrupt(table: "events", row: rowName, "a column is missing or of the wrong type")
        }
        return try StoredRowDecoding.indexedEvent(
            height: height, position: position, eventIndex: eventIndex, time: time, event: eventBytes,
            transactionHash: row[5].blob)
    }
}

extension LedgerStore {
    /// Events filed under `subject` after `cursor`, oldest first: what an event stream
    /// replays (`GET /v1/events` with `Last-Event-ID`). Walks the subject's keys (or, for an
    /// audit trail, `audit_trail_rows`) forward from the cursor, so a chunk costs `limit`
    /// rows of each run however long the history.
    /// - Parameters:
    ///   - after: the last event the reader has; nil starts at the oldest.
    ///   - limit: the most rows to return (at most `PageLimits.maxItems`).
    public func events(subject: [UInt8], after: EventCursor?, limit: Int) throws -> [IndexedEvent] {
        precondition(limit >= 0 && limit <= PageLimits.maxItems, "limit must be 0-\(PageLimits.maxItems)")
        guard Self.isAuditTrail(subject) else {
            return try events(
                subject: subject,
                at: eventCoordinates(subject: subject, after: after, before: nil, descending: false, limit: limit))
        }
        let after = after ?? EventCursor(height: 0, position: 0, eventIndex: 0)
        let sql = """
            \(Self.indexedEventSelect)
            WHERE e.subject = ?\(Self.indexCondition(subject: subject)) AND (e.height, e.position, e.event_index) > (?, ?, ?)
            ORDER BY e.height ASC, e.position ASC, e.event_index ASC LIMIT ?
            """
        return try database.query(sql, Self.pageBinds(subject: subject, cursor: after, limit: limit)).map(indexedEvent)
    }
}

extension LedgerStore {
    /// Whether `subject` is a patient's audit trail, whose rows are read through the partial
    /// index `audit_trail_rows` rather than the run index.
    static func isAuditTrail(_ subject: [UInt8]) -> Bool { subject.first == EventIndexKey.auditTrailTag }

    /// The rows of `subject` at `coordinates` (from its run index), decoded, in that order.
    private func events(subject: [UInt8], at coordinates: [EventCursor]) throws -> [IndexedEvent] {
        try eventRows(subject: subject, at: coordinates).map(indexedEvent)
    }

    /// The rows of `subject` at `coordinates`, in that order, with the columns of
    /// `pageBeforeCursorSQL`.
    /// - Throws: `StorageError` (`.corruptData`) when the index names a row that is not there.
    func eventRows(subject: [UInt8], at coordinates: [EventCursor]) throws -> [SQLiteRow] {
        guard !coordinates.isEmpty else { return [] }
        let sql = """
            \(Self.indexedEventSelect) WHERE e.height = ? AND e.position = ? AND e.event_index = ? AND e.subject = ?
            """
        return try database.withStatement(sql) { statement in
            try coordinates.map { cursor in
                try statement.bind([
                    .height(cursor.height), .integer(Int64(cursor.position)), .integer(Int64(cursor.eventIndex)),
                    .blob(subject),
                ])
                guard try statement.step() else {
                    throw StorageError.corrupt(
                        table: "events", row: "height \(cursor.height)",
                        "the subject index names row \(cursor) of \(Hex.encode(subject)), which is missing")
                }
                return statement.currentRow()
            }
        }
    }
}
