import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

extension PostgresLedgerStore {
    public func events(subject: [UInt8], before: EventCursor?, limit: Int) throws -> [IndexedEvent] {
        precondition(limit >= 0 && limit <= PageLimits.maxItems, "limit must be 0-\(PageLimits.maxItems)")
        let order = "ORDER BY e.height DESC, e.position DESC, e.event_index DESC"
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: subject))
        binds.append(Int64(limit))
        guard let before else {
            return try session.query("\(Self.indexedEventSelect) WHERE e.subject = $1 \(order) LIMIT $2", binds)
                .map(indexedEvent)
        }
        try Self.append(before, to: &binds)
        return try session.query(Self.pageBeforeCursorSQL, binds).map(indexedEvent)
    }

    /// One newest-first page of a subject's rows strictly before a cursor ($1 subject, $2
    /// limit, $3–$5 the cursor, see `append`), the columns `indexedEvent` reads: shared by
    /// the decoded pages and the undecoded ones of the export (`eventBytes`). Row-value
    /// comparison walks the primary key (subject, height, position, event_index).
    static let pageBeforeCursorSQL = """
        \(indexedEventSelect)
        WHERE e.subject = $1 AND (e.height, e.position, e.event_index) < ($3, $4, $5)
        ORDER BY e.height DESC, e.position DESC, e.event_index DESC LIMIT $2
        """

    public func events(subject: [UInt8], after: EventCursor?, limit: Int) throws -> [IndexedEvent] {
        precondition(limit >= 0 && limit <= PageLimits.maxItems, "limit must be 0-\(PageLimits.maxItems)")
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: subject))
        binds.append(Int64(limit))
        try Self.append(after ?? EventCursor(height: 0, position: 0, eventIndex: 0), to: &binds)
        return try session.query(
            """
            \(Self.indexedEventSelect)
            WHERE e.subject = $1 AND (e.height, e.position, e.event_index) > ($3, $4, $5)
            ORDER BY e.height ASC, e.position ASC, e.event_index ASC LIMIT $2
            """, binds
        ).map(indexedEvent)
    }

    public func eventRows(height: Height) throws -> [EventRow] {
        let rows = try session.query(
            """
            SELECT e.subject, e.position, e.event_index, e.time, e.event, t.hash
            FROM events e LEFT JOIN transactions t ON t.height = e.height AND t.position = e.position
            WHERE e.height = $1
            """, Self.binds(height))
        return try rows.map { row in
            let columns = PostgresColumns(row, table: "events", row: "height \(height)")
            return EventRow(
                subject: try columns.bytes(0, "subject"), position: try columns.count(1, "position"),
                eventIndex: try columns.count(2, "event_index"), time: try columns.unsigned(3, "time"),
                event: try columns.bytes(4, "event"), transactionHash: try columns.bytes(5, "transaction hash"))
        }.sorted()
    }

    /// The columns `indexedEvent` reads, with the transaction hash joined in (as SQLite's).
    private static let indexedEventSelect = """
        SELECT e.height, e.position, e.event_index, e.time, e.event, t.hash
        FROM events e LEFT JOIN transactions t ON t.height = e.height AND t.position = e.position
        """

    private func indexedEvent(_ row: PostgresRandomAccessRow) throws -> IndexedEvent {
        let name = "height \((try? row[0].decode(Int64.self)).map(String.init) ?? "?")"
        let columns = PostgresColumns(row, table: "events", row: name)
        return try StoredRowDecoding.indexedEvent(
            height: try columns.unsigned(0, "height"), position: try columns.count(1, "position"),
            eventIndex: try columns.count(2, "event_index"), time: try columns.unsigned(3, "time"),
            event: try columns.bytes(4, "event"), transactionHash: columns.optionalBytes(5))
    }

    static func append(_ cursor: EventCursor, to binds: inout PostgresBindings) throws {
        guard cursor.height.rawValue <= UInt64(Int64.max) else {
            throw StorageError(.tooLarge, "event cursor height \(cursor.height) does not fit a BIGINT")
        }
        binds.append(Int64(cursor.height.rawValue))
        binds.append(Int64(cursor.position))
        binds.append(Int64(cursor.eventIndex))
    }
}
