import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

extension PostgresLedgerStore: EventBytesReading {
    public func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws -> [StoredEventBytes] {
        precondition(limit >= 0 && limit <= Limits.auditExportPageRows, "limit must be 0-\(Limits.auditExportPageRows)")
        guard before.height.rawValue <= UInt64(Int64.max) else {
            throw StorageError(.tooLarge, "event cursor height \(before.height) does not fit a BIGINT")
        }
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: subject))
        binds.append(Int64(limit))
        binds.append(Int64(before.height.rawValue))
        binds.append(Int64(before.position))
        binds.append(Int64(before.eventIndex))
        // Row-value comparison walks the primary key, as the decoded pages do.
        let rows = try session.query(
            """
            SELECT e.height, e.position, e.event_index, e.time, e.event, t.hash
            FROM events e LEFT JOIN transactions t ON t.height = e.height AND t.position = e.position
            WHERE e.subject = $1 AND (e.height, e.position, e.event_index) < ($3, $4, $5)
            ORDER BY e.height DESC, e.position DESC, e.event_index DESC LIMIT $2
            """, binds)
        return try rows.map { row in
            let name = "height \((try? row[0].decode(Int64.self)).map(String.init) ?? "?")"
            let columns = PostgresColumns(row, table: "events", row: name)
            return try StoredEventBytes.checked(
                height: try columns.unsigned(0, "height"), position: try columns.count(1, "position"),
                eventIndex: try columns.count(2, "event_index"), time: try columns.unsigned(3, "time"),
                transactionHash: columns.optionalBytes(5), event: try columns.bytes(4, "event"))
        }
    }
}
