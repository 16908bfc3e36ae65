import MedLedgerCore

extension LedgerStore {
    /// Every contract state entry, sorted by key (bytewise, shorter first on a tie), which
    /// is how SQLite orders blobs. With no index on the key, SQLite sorts the table; this
    /// is read when a node starts and by `verify`, never per block.
    /// - Throws: `StorageError` when a stored key or value is not a blob.
    public func allState() throws -> [(key: [UInt8], value: [UInt8])] {
        try database.query("SELECT key, value FROM state ORDER BY key").map { row in
            guard let key = row[0].blob, let value = row[1].blob else {
                let keyName = row[0].blob.map { "key \(Hex.encode($0))" } ?? "key \(row[0])"
                throw StorageError.corrupt(table: "state", row: keyName, "key or value is not a blob")
            }
            return (key: key, value: value)
        }
    }

    /// The value stored under `key`, or nil.
    /// - Throws: `StorageError` when the stored value is not a blob, or the key's row holds
    ///   another key (the file was changed behind the store's back).
    public func stateValue(forKey key: [UInt8]) throws -> [UInt8]? {
        guard let id = stateRows.withLock({ $0.rowID(of: key) }) else { return nil }
        let row = try database.query("SELECT key, value FROM state WHERE id = ?", [.integer(id)]).first
        guard let row, row[0].blob == key else {
            throw StorageError.corrupt(table: "state", row: "id \(id)", "does not hold key \(Hex.encode(key))")
        }
        guard let value = row[1].blob else {
            throw StorageError.corrupt(table: "state", row: "key \(Hex.encode(key))", "value is not a blob")
        }
        return value
    }
}
