import MedLedgerCore

extension LedgerStore {
    /// Version 5 of the ledger schema. Everything hashed or signed is stored as its canonical
    /// bytes; the other columns are indexes derived from those bytes at commit.
    ///
    /// Why the tables are keyed the way they are: a B-tree keyed by a hash takes each insert
    /// on a page of its own once it outgrows the page cache, so a block of a thousand
    /// transactions dirtied about a thousand pages of every such table, rows and all, and the
    /// cost of a block grew with the chain. `transactions` and `events` are therefore keyed
    /// in commit order (height, position, …), and `state` by SQLite's row id (the order in
    /// which keys were first written), so a block appends to their last pages. A changed
    /// state entry is still rewritten where it lies. Version 1 keyed the three tables by hash,
    /// subject and state key; `migrationFromVersion1` rewrites them.
    ///
    /// Transactions by hash and events by subject are found through run indexes
    /// (`SortedRunIndex`, keys in `RunIndexKeys`): each block's keys are written as a small
    /// sorted run and runs are merged a slice per commit, so no block inserts into a large
    /// B-tree at random. Versions 2 and 3 kept these as the SQLite indexes
    /// `transactions_by_hash` and `events_by_subject`, which were nearly all of what still
    /// grew with the chain in a block's writes (`docs/performance.md`). Version 4 kept one row
    /// per key in the run tables; version 5 keeps a chunk of keys per row (`RunChunk`), so a
    /// merge moves a dozen keys for the price of one row, and migrates by rebuilding them.
    ///
    /// The state key has no index (version 2 had a unique one): the store finds a key's row
    /// through `StateRowIndex`, a map in memory, so a new key costs an append and nothing
    /// else. Key uniqueness is checked when the map is read at opening.
    ///
    /// Each event row carries its transaction's hash, so reading an event never searches
    /// `transactions`. Patients' audit trails are the one list read whole (the export), so
    /// their rows alone are also kept in full, in trail order, in the partial index
    /// `audit_trail_rows`: reading a trail is then one range of one index, not a search of
    /// `events` per row. Only access events pay for it, one random insert each.
    static let schema = """
        CREATE TABLE IF NOT EXISTS meta (
            key TEXT PRIMARY KEY,
            value BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS blocks (
            height INTEGER PRIMARY KEY,
            hash BLOB NOT NULL UNIQUE,
            header BLOB NOT NULL,
            body BLOB NOT NULL,
            certificate BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS transactions (
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            hash BLOB NOT NULL,
            signer BLOB NOT NULL,
            receipt BLOB NOT NULL,
            PRIMARY KEY (height, position)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS state (
            id INTEGER PRIMARY KEY,
            key BLOB NOT NULL,
            value BLOB NOT NULL
        );
        CREATE TABLE IF NOT EXISTS events (
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            event_index INTEGER NOT NULL,
            subject BLOB NOT NULL,
            time INTEGER NOT NULL,
            event BLOB NOT NULL,
            transaction_hash BLOB NOT NULL,
            PRIMARY KEY (height, position, event_index, subject)
        ) WITHOUT ROWID;
        CREATE INDEX IF NOT EXISTS audit_trail_rows
            ON events(subject, height, position, event_index, time, event, transaction_hash)
            WHERE \(auditTrailSubjects);
        \(SortedRunIndex.runListSchema)
        \(RunIndexKeys.transactions.tableSchema)
        \(RunIndexKeys.eventSubjects.tableSchema)
        """

    /// Removes version 2 and 3's random-keyed indexes; `LedgerStore.indexStoredRows` then
    /// writes their run indexes. Inside the caller's transaction, after any other migration.
    static let dropRandomIndexes = """
        DROP INDEX IF EXISTS transactions_by_hash;
        DROP INDEX IF EXISTS events_by_subject;
        """

    /// Removes version 4's run indexes (one row per key); `LedgerStore.indexStoredRows` then
    /// writes them again in chunks. Inside the caller's transaction, before `schema`.
    static let dropRowPerKeyRuns = """
        DROP TABLE IF EXISTS \(RunIndexKeys.transactions.table);
        DROP TABLE IF EXISTS \(RunIndexKeys.eventSubjects.table);
        DELETE FROM index_runs;
        """

    /// Rewrites a version 1 ledger's `transactions`, `events` and `state` into this layout,
    /// row for row, inside the caller's transaction (so a crash leaves version 1 intact).
    /// Nothing hashed or signed changes: the same bytes move to differently keyed tables.
    static let migrationFromVersion1 = """
        ALTER TABLE transactions RENAME TO transactions_v1;
        ALTER TABLE events RENAME TO events_v1;
        ALTER TABLE state RENAME TO state_v1;
        \(schema)
        INSERT INTO transactions(height, position, hash, signer, receipt)
            SELECT height, position, hash, signer, receipt FROM transactions_v1 ORDER BY height, position;
        INSERT INTO events(height, position, event_index, subject, time, event, transaction_hash)
            SELECT e.height, e.position, e.event_index, e.subject, e.time, e.event, t.hash
            FROM events_v1 e LEFT JOIN transactions_v1 t ON t.height = e.height AND t.position = e.position
            ORDER BY e.height, e.position, e.event_index, e.subject;
        INSERT INTO state(key, value) SELECT key, value FROM state_v1 ORDER BY key;
        DROP TABLE transactions_v1;
        DROP TABLE events_v1;
        DROP TABLE state_v1;
        """

    /// Rebuilds a version 2 ledger's `state` without its unique key index (SQLite cannot drop
    /// a constraint's index), keeping every row id; inside the caller's transaction.
    static let migrationFromVersion2 = """
        ALTER TABLE state RENAME TO state_v2;
        \(schema)
        INSERT INTO state(id, key, value) SELECT id, key, value FROM state_v2 ORDER BY id;
        DROP TABLE state_v2;
        """

    /// The rows of patients' audit trails (`EventIndexKey.auditTrail`: its tag, 0xA1, then
    /// the patient's id), as a condition on `subject` that a partial index can hold and a
    /// query can repeat word for word, which is how SQLite's planner matches the two:
    /// `subject >= X'A1' AND subject < X'A2'`.
    static let auditTrailSubjects =
        "subject >= X'\(Hex.encode([EventIndexKey.auditTrailTag]))'"
        + " AND subject < X'\(Hex.encode([EventIndexKey.auditTrailTag + 1]))'"

    /// The condition to add to a query of `subject`'s rows so that an audit trail is read
    /// from `audit_trail_rows`; empty for any other subject.
    static func indexCondition(subject: [UInt8]) -> String {
        isAuditTrail(subject) ? " AND \(auditTrailSubjects)" : ""
    }
}
