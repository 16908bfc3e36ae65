extension LedgerStore {
    /// Version 1 of the ledger schema. Everything hashed or signed is stored as its canonical
    /// bytes; the other columns are indexes derived from those bytes at commit.
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
            hash BLOB PRIMARY KEY,
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            signer BLOB NOT NULL,
            receipt BLOB NOT NULL,
            UNIQUE (height, position)
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS state (
            key BLOB PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        CREATE TABLE IF NOT EXISTS events (
            subject BLOB NOT NULL,
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            event_index INTEGER NOT NULL,
            time INTEGER NOT NULL,
            event BLOB NOT NULL,
            PRIMARY KEY (subject, height, position, event_index)
        ) WITHOUT ROWID;
        """
}
