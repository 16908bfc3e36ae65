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
        let receipt = try decodeColumn("transactions", rowName, "receipt") { () throws(CanonicalDecodingError) in
            try TransactionReceipt.decode(canonical: receiptBytes)
        }
        let transaction = try decodeColumn("blocks", "height \(height)", "body") { () throws(CanonicalDecodingError) in
            try Transaction.decode(Self.transactionBytes(inBody: body, at: position))
        }
        guard transaction.hash == hash else {
            throw StorageError.corrupt(
                table: "blocks", row: "height \(height)",
                "transaction at position \(position) is \(transaction.hash), index says \(hash)")
        }
        return StoredTransaction(transaction: transaction, receipt: receipt, height: Height(height), position: position)
    }

    /// The encoded transaction at `position` of a block body, without decoding the others.
    static func transactionBytes(inBody body: [UInt8], at position: Int) throws(CanonicalDecodingError) -> [UInt8] {
        var decoder = CanonicalDecoder(body)
        _ = try decoder.readOptional(CommitCertificate.self, "lastCommit")  // the body starts with it
        let count = Int(try decoder.readUInt32("transactions"))
        guard position < count, count <= Limits.blockMaxTransactions else {
            throw CanonicalDecodingError(field: "transactions", reason: "no transaction \(position) among \(count)")
        }
        for _ in 0..<position {
            _ = try decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)
        }
        return try decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)
    }
}
