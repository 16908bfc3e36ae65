import MedLedgerCore

/// One row of the transaction index, as stored, without the transaction itself.
public struct IndexedReceipt: Hashable, Sendable {
    public let hash: Hash256
    public let position: Int
    public let receipt: TransactionReceipt

    package init(hash: Hash256, position: Int, receipt: TransactionReceipt) {
        self.hash = hash
        self.position = position
        self.receipt = receipt
    }
}

extension LedgerStore {
    /// Every indexed transaction of one block with its receipt, by position — one query,
    /// without reading the block body (what `verify` needs for each block).
    public func receipts(height: Height) throws -> [IndexedReceipt] {
        let rows = try database.query(
            "SELECT hash, position, receipt FROM transactions WHERE height = ? ORDER BY position", [.height(height)])
        return try rows.map { row in
            let rowName = "height \(height)"
            guard let hashBytes = row[0].blob, let position = row[1].integer.flatMap({ Int(exactly: $0) }),
                let bytes = row[2].blob
            else {
                throw StorageError.corrupt(
                    table: "transactions", row: rowName, "hash, position or receipt is malformed")
            }
            return try StoredRowDecoding.indexedReceipt(
                height: height, hash: hashBytes, position: position, receipt: bytes)
        }
    }
}
