import MedLedgerCore

/// Where each contract state key lives in the `state` table: its SQLite row id.
///
/// Why it is kept in memory rather than as an index in the file: a unique index on the key
/// is a B-tree ordered by hash-like keys, so once it outgrows the page cache every new key
/// dirtied a page of its own, and a block of a thousand registrations rewrote about a
/// thousand index pages; that cost grew with the chain (`docs/performance.md`, schema
/// version 3). A node already holds its whole state in memory (`LedgerState`), so the map
/// costs memory in proportion to what the node holds anyway, and lets a block's new keys be
/// appended to the table's last page and its changed keys be rewritten by row id.
///
/// The map is built from the file when the store opens, and changed only after the SQLite
/// transaction that wrote the block has committed. It assumes the store is the file's only
/// writer, which holds for a node's data directory.
struct StateRowIndex {
    /// Row id of each stored key.
    private var rowIDs: [Key: Int64] = [:]
    /// The row id the next new key gets: one above the highest in the file.
    private var nextRowID: Int64 = 1

    /// The most rows reserved for ahead of reading them; a larger state grows past it.
    static let reservedRowsMax: Int64 = 1 << 22

    /// An empty map, until the store has read its file.
    init() {}

    /// Reads every key's row id from `database`.
    /// - Throws: `StorageError` when a key is not a blob or is stored in two rows (a file
    ///   edited outside the store: the state it holds would be ambiguous).
    init(database: SQLiteDatabase) throws {
        // Sized once for the rows there are (the highest row id bounds their count, and is
        // read from the end of the table's B-tree): grown one key at a time, a restart of
        // 10^6 keys rehashed the map about twenty times. Capped, so that a file edited to
        // hold one huge row id cannot make the node reserve memory for it.
        try database.withStatement("SELECT max(id) FROM state") { statement in
            if try statement.step(), let highest = statement.value(at: 0).integer, highest > 0 {
                rowIDs.reserveCapacity(Int(min(highest, Self.reservedRowsMax)))
            }
        }
        try database.withStatement("SELECT id, key FROM state") { statement in
            while try statement.step() {
                let id = statement.value(at: 0).integer ?? 0
                guard let key = statement.value(at: 1).blob else {
                    throw StorageError.corrupt(table: "state", row: "id \(id)", "key is not a blob")
                }
                if let first = rowIDs.updateValue(id, forKey: Key(key)) {
                    throw StorageError.corrupt(
                        table: "state", row: "id \(id)", "key \(Hex.encode(key)) is also stored in row \(first)")
                }
                nextRowID = max(nextRowID, id + 1)
            }
        }
    }

    /// The writes of one block, applied in order to `database` inside the caller's
    /// transaction: a new key is inserted under the next row id, a changed key is rewritten
    /// in its row, a deleted key's row is removed (deleting an absent key does nothing).
    /// Returns the map as it will be once the transaction commits; `self` is untouched, so a
    /// failed commit leaves map and file in agreement.
    func applying(_ changes: [StateChange], to database: SQLiteDatabase) throws -> Pending {
        var pending = Pending(nextRowID: nextRowID)
        try database.withStatement("INSERT INTO state(id, key, value) VALUES (?, ?, ?)") { insert in
            try database.withStatement("UPDATE state SET value = ? WHERE id = ?") { update in
                try database.withStatement("DELETE FROM state WHERE id = ?") { delete in
                    for change in changes {
                        let key = Key(change.key)
                        // A key this block already wrote (or deleted) is where the block left it.
                        let id: Int64? = pending.rowIDs[key] ?? rowIDs[key]
                        switch (id, change.value) {
                        case (let id?, let value?):
                            try update.run([.blob(value), .integer(id)])
                        case (nil, let value?):
                            try insert.run([.integer(pending.nextRowID), .blob(change.key), .blob(value)])
                            pending.rowIDs[key] = pending.nextRowID
                            pending.nextRowID += 1
                        case (let id?, nil):
                            try delete.run([.integer(id)])
                            pending.rowIDs[key] = .some(nil)
                        case (nil, nil):
                            break
                        }
                    }
                }
            }
        }
        return pending
    }

    /// One block's changes to the map: a key mapped to nil was deleted.
    struct Pending {
        var rowIDs: [Key: Int64?] = [:]
        var nextRowID: Int64
    }

    /// Takes a committed block's changes into the map.
    mutating func commit(_ pending: Pending) {
        for (key, id) in pending.rowIDs {
            if let id { rowIDs[key] = id } else { rowIDs.removeValue(forKey: key) }
        }
        nextRowID = pending.nextRowID
    }

    /// The row id of `key`, or nil when it is not stored.
    func rowID(of key: [UInt8]) -> Int64? { rowIDs[Key(key)] }

    /// A state key as a dictionary key, hashed in one call: `[UInt8]`'s own `Hashable` feeds
    /// the hasher a byte at a time, which was 0.6 % of a validator's samples in a profiled
    /// burst, on the four lookups and inserts each changed key costs here.
    struct Key: Hashable {
        let bytes: [UInt8]
        init(_ bytes: [UInt8]) { self.bytes = bytes }
        func hash(into hasher: inout Hasher) { bytes.withUnsafeBytes { hasher.combine(bytes: $0) } }
    }
}
