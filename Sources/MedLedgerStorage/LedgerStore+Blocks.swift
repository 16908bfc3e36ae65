import MedLedgerCore

extension LedgerStore {
    /// The block at `height` with its transactions and certificate, or nil when none is stored.
    /// - Throws: `StorageError` (`.corruptData`) naming the height when the stored bytes do
    ///   not decode, or decode to a block of another height or hash.
    public func block(at height: Height) throws -> StoredBlock? {
        guard let raw = try rawBlock(at: height) else { return nil }
        return try StoredRowDecoding.block(raw)
    }

    /// The stored bytes of the block at `height`, undecoded, or nil when none is stored.
    /// - Throws: `StorageError` when a column is missing or is not a blob.
    public func rawBlock(at height: Height) throws -> RawBlock? {
        guard height.rawValue <= UInt64(Int64.max) else { return nil }
        let rows = try database.query(
            "SELECT hash, header, body, certificate FROM blocks WHERE height = ?",
            [.height(height)])
        guard let row = rows.first else { return nil }
        let names = ["hash", "header", "body", "certificate"]
        var columns = [[UInt8]]()
        for (name, value) in zip(names, row) {
            guard let bytes = value.blob else {
                throw StorageError.corrupt(table: "blocks", row: "height \(height)", "\(name) is not a blob")
            }
            columns.append(bytes)
        }
        return RawBlock(height: height, hash: columns[0], header: columns[1], body: columns[2], certificate: columns[3])
    }
}

extension LedgerStore {
    /// Rows of the block-derived tables whose height lies outside 1…`latest`: a block, a
    /// transaction or an index row there was never committed (and an inserted access row
    /// there could make a custodian release a key). Answers (table, count) per table.
    public func rowsOutsideCommittedHeights(latest: Height) throws -> [(table: String, count: Int)] {
        precondition(latest.rawValue <= UInt64(Int64.max))
        var found = [(table: String, count: Int)]()
        for table in ["blocks", "transactions", "events"] {
            let rows = try database.query(
                "SELECT COUNT(*) FROM \(table) WHERE height < 1 OR height > ?", [.height(latest)])
            let count = rows.first?[0].integer.flatMap { Int(exactly: $0) } ?? 0
            if count > 0 { found.append((table, count)) }
        }
        return found
    }
}
