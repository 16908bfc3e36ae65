import MedLedgerCore

extension LedgerStore {
    /// The committed transaction with `hash`, its receipt and where it sits, or nil.
    /// - Throws: `StorageError` (`.corruptData`) naming the hash or height when stored bytes
    ///   do not decode or the transaction found is not the one asked for.
    public func transaction(hash: Hash256) throws -> StoredTransaction? {
        guard let (height, position) = try transactionLocation(hash: hash.bytes) else { return nil }
        let sql = """
            SELECT t.hash, t.receipt, b.body
            FROM transactions t JOIN blocks b ON b.height = t.height WHERE t.height = ? AND t.position = ?
            """
        let rowName = "hash \(hash.hex)"
        guard let row = try database.query(sql, [.height(height), .integer(Int64(position))]).first else {
            throw StorageError.corrupt(
                table: "transactions", row: rowName,
                "the index names height \(height) position \(position), which is empty")
        }
        guard row[0].blob == hash.bytes, let receiptBytes = row[1].blob, let body = row[2].blob else {
            throw StorageError.corrupt(table: "transactions", row: rowName, "hash or receipt is malformed")
        }
        return try StoredRowDecoding.transaction(
            hash: hash, height: height.rawValue, position: position, receipt: receiptBytes, body: body)
    }
}
