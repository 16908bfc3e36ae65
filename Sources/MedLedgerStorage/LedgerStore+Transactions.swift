import MedLedgerCore

extension LedgerStore {
    /// The committed transaction with `hash`, its receipt and where it sits, or nil.
    /// - Throws: `StorageError` (`.corruptData`) naming the hash or height when stored bytes
    ///   do not decode or the transaction found is not the one asked for.
    public func transaction(hash: Hash256) throws -> StoredTransaction? {
        let sql = """
            SELECT t.height, t.position, t.receipt, b.body
            FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.hash = ?
            """
        guard let row = try database.query(sql, [.blob(hash.bytes)]).first else { return nil }
        let rowName = "hash \(hash.hex)"
        guard let height = row[0].unsigned, let position = row[1].integer.flatMap({ Int(exactly: $0) }), position >= 0,
            let receiptBytes = row[2].blob, let body = row[3].blob
        else {
            throw StorageError.corrupt(table: "transactions", row: rowName, "height, position or receipt is malformed")
        }
        return try StoredRowDecoding.transaction(
            hash: hash, height: height, position: position, receipt: receiptBytes, body: body)
    }
}
