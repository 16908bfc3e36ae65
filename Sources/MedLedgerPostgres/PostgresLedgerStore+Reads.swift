import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

extension PostgresLedgerStore {
    public func block(at height: Height) throws -> StoredBlock? {
        guard let raw = try rawBlock(at: height) else { return nil }
        return try StoredRowDecoding.block(raw)
    }

    public func rawBlock(at height: Height) throws -> RawBlock? {
        guard height.rawValue <= UInt64(Int64.max) else { return nil }
        let rows = try session.query(
            "SELECT hash, header, body, certificate FROM blocks WHERE height = $1", Self.binds(height))
        guard let row = rows.first else { return nil }
        let columns = PostgresColumns(row, table: "blocks", row: "height \(height)")
        return RawBlock(
            height: height, hash: try columns.bytes(0, "hash"), header: try columns.bytes(1, "header"),
            body: try columns.bytes(2, "body"), certificate: try columns.bytes(3, "certificate"))
    }

    public func recentBlocks(limit: Int) throws -> [BlockSummary] {
        precondition(limit >= 0 && limit <= 1_000, "limit must be 0-1000")
        var binds = PostgresBindings()
        binds.append(Int64(limit))
        let rows = try session.query(
            """
            SELECT b.height, b.header, b.certificate,
                (SELECT COUNT(*) FROM transactions t WHERE t.height = b.height)
            FROM blocks b ORDER BY b.height DESC LIMIT $1
            """, binds)
        return try rows.map { row in
            let name = "height \((try? row[0].decode(Int64.self)).map(String.init) ?? "?")"
            let columns = PostgresColumns(row, table: "blocks", row: name)
            return try StoredRowDecoding.blockSummary(
                rowName: name, header: try columns.bytes(1, "header"), certificate: try columns.bytes(2, "certificate"),
                transactionCount: try columns.count(3, "transaction count"))
        }
    }

    public func transaction(hash: Hash256) throws -> StoredTransaction? {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: hash.bytes))
        let rows = try session.query(
            """
            SELECT t.height, t.position, t.receipt, b.body
            FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.hash = $1
            """, binds)
        guard let row = rows.first else { return nil }
        let columns = PostgresColumns(row, table: "transactions", row: "hash \(hash.hex)")
        return try StoredRowDecoding.transaction(
            hash: hash, height: try columns.unsigned(0, "height"), position: try columns.count(1, "position"),
            receipt: try columns.bytes(2, "receipt"), body: try columns.bytes(3, "body"))
    }

    public func receipts(height: Height) throws -> [IndexedReceipt] {
        let rows = try session.query(
            "SELECT hash, position, receipt FROM transactions WHERE height = $1 ORDER BY position", Self.binds(height))
        return try rows.map { row in
            let columns = PostgresColumns(row, table: "transactions", row: "height \(height)")
            return try StoredRowDecoding.indexedReceipt(
                height: height, hash: try columns.bytes(0, "hash"), position: try columns.count(1, "position"),
                receipt: try columns.bytes(2, "receipt"))
        }
    }

    public func allState() throws -> [(key: [UInt8], value: [UInt8])] {
        try session.query("SELECT key, value FROM state ORDER BY key").map { row in
            let key = PostgresColumns(row, table: "state", row: "?").optionalBytes(0)
            let columns = PostgresColumns(row, table: "state", row: key.map { "key \(Hex.encode($0))" } ?? "key NULL")
            return (key: try columns.bytes(0, "key"), value: try columns.bytes(1, "value"))
        }
    }

    public func stateValue(forKey key: [UInt8]) throws -> [UInt8]? {
        var binds = PostgresBindings()
        binds.append(ByteBuffer(bytes: key))
        guard let row = try session.query("SELECT value FROM state WHERE key = $1", binds).first else { return nil }
        return try PostgresColumns(row, table: "state", row: "key \(Hex.encode(key))").bytes(0, "value")
    }

    /// None to check: PostgreSQL keeps transactions by hash and events by subject in its own
    /// B-tree indexes, which the server maintains with every row.
    public func lookupIndexDamage() throws -> (index: String, reason: String)? { nil }

    public func rowsOutsideCommittedHeights(latest: Height) throws -> [(table: String, count: Int)] {
        precondition(latest.rawValue <= UInt64(Int64.max))
        var found = [(table: String, count: Int)]()
        for table in ["blocks", "transactions", "events"] {
            let rows = try session.query(
                "SELECT COUNT(*) FROM \(table) WHERE height < 1 OR height > $1", Self.binds(latest))
            let count =
                try rows.first.map { try PostgresColumns($0, table: table, row: "COUNT(*)").count(0, "count") } ?? 0
            if count > 0 { found.append((table, count)) }
        }
        return found
    }

    /// One bind: a height as a BIGINT.
    static func binds(_ height: Height) -> PostgresBindings {
        precondition(height.rawValue <= UInt64(Int64.max), "height \(height) does not fit a BIGINT")
        var binds = PostgresBindings()
        binds.append(Int64(height.rawValue))
        return binds
    }
}
