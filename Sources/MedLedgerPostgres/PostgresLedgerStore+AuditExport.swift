import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

extension PostgresLedgerStore: EventBytesReading {
    public func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws -> [StoredEventBytes] {
        precondition(limit >= 0 && limit <= Limits.auditExportPageRows, "limit must be 0-\(Limits.auditExportPageRows)")
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: subject))
        binds.append(Int64(limit))
        try Self.append(before, to: &binds)
        let rows = try session.query(Self.pageBeforeCursorSQL, binds)
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
