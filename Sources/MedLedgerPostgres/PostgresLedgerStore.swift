import MedLedgerCore
import MedLedgerStorage
import PostgresNIO

/// The node's ledger in PostgreSQL (`node start --database postgres://…`): the same tables,
/// the same canonical bytes and the same promises as the SQLite `LedgerStore` (see
/// `LedgerDatabase`), for an organization that outgrows one disk or runs its databases
/// centrally. A block and everything it changed are written in one PostgreSQL transaction;
/// every read decodes with Core's decoders and reports damage as a `StorageError` naming the
/// table and the row, through the same `StoredRowDecoding` as SQLite.
///
/// Blocking: each call waits for the server (see `PostgresSession` for why and how). One
/// connection, serialized; the node is the only writer of its schema.
public final class PostgresLedgerStore: LedgerDatabase {
    /// The schema this code reads and writes; stored in `meta` as `schema_version`. It holds
    /// the same columns as SQLite's, but its own number: SQLite's version 2 only re-keyed
    /// tables in commit order, which PostgreSQL's heap tables already are (their keys are
    /// separate narrow indexes), and version 3 dropped SQLite's state key index for a map in
    /// memory, where this store's upserts still find rows by that index; so this schema did
    /// not change.
    public static let schemaVersion: UInt64 = 1

    public let url: PostgresURL
    let session: PostgresSession

    public var location: String { url.description }

    /// Connects, creating the schema and its tables if needed.
    /// - Throws: `StorageError` when the server cannot be reached, the stored schema version
    ///   is not `schemaVersion`, or the recorded height disagrees with the blocks.
    public init(url: PostgresURL) throws {
        self.url = url
        session = try PostgresSession(url: url)
        try session.transaction { try createOrCheckSchema() }
        try checkHeightMatchesBlocks()
    }

    private func createOrCheckSchema() throws {
        for statement in Self.schema { try session.query(statement) }
        guard let stored = try metaValue("schema_version") else {
            try setMeta("schema_version", Self.schemaVersion.canonicalBytes)
            return
        }
        let version = try StoredRowDecoding.meta("schema_version", stored, as: UInt64.self)
        guard version == Self.schemaVersion else {
            throw StorageError(
                .invalidState, "\(location): schema version \(version), this build reads \(Self.schemaVersion)")
        }
    }

    /// Version 1 of the ledger schema, as SQLite's (`LedgerStore+Schema.swift`), in
    /// PostgreSQL's types: BYTEA for bytes (ordered bytewise, shorter first on a tie, as
    /// SQLite orders blobs), BIGINT for heights, positions and times.
    static let schema = [
        "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BYTEA NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS blocks (height BIGINT PRIMARY KEY, hash BYTEA NOT NULL UNIQUE,
            header BYTEA NOT NULL, body BYTEA NOT NULL, certificate BYTEA NOT NULL)
        """,
        """
        CREATE TABLE IF NOT EXISTS transactions (hash BYTEA PRIMARY KEY,
            height BIGINT NOT NULL REFERENCES blocks(height), position BIGINT NOT NULL,
            signer BYTEA NOT NULL, receipt BYTEA NOT NULL, UNIQUE (height, position))
        """,
        "CREATE TABLE IF NOT EXISTS state (key BYTEA PRIMARY KEY, value BYTEA NOT NULL)",
        """
        CREATE TABLE IF NOT EXISTS events (subject BYTEA NOT NULL,
            height BIGINT NOT NULL REFERENCES blocks(height), position BIGINT NOT NULL,
            event_index BIGINT NOT NULL, time BIGINT NOT NULL, event BYTEA NOT NULL,
            PRIMARY KEY (subject, height, position, event_index))
        """,
    ]

    /// `meta.height` is written with each block; a mismatch means the tables were edited.
    private func checkHeightMatchesBlocks() throws {
        let recorded = try latestHeight
        let highest = Height(
            try session.query("SELECT MAX(height) FROM blocks").first.flatMap {
                try PostgresColumns($0, table: "blocks", row: "MAX(height)").optionalUnsigned(0)
            } ?? 0)
        guard recorded == highest else {
            throw StorageError.corrupt(
                table: "meta", row: "key 'height'", "says \(recorded), highest block is \(highest)")
        }
    }

    public var latestHeight: Height {
        get throws {
            guard let bytes = try metaValue("height") else { return 0 }
            return Height(try StoredRowDecoding.meta("height", bytes, as: UInt64.self))
        }
    }

    public func saveGenesis(_ genesis: Genesis) throws {
        try session.transaction {
            if let existing = try loadGenesis() {
                guard existing == genesis else {
                    throw StorageError(
                        .invalidState,
                        "\(location) already holds the genesis of chain \(existing.chainID) (\(existing.hash))")
                }
                return
            }
            try setMeta("genesis", genesis.canonicalBytes)
            try setMeta("chain_id", Array(genesis.chainID.utf8))
        }
    }

    public func loadGenesis() throws -> Genesis? {
        guard let bytes = try metaValue("genesis") else { return nil }
        return try StoredRowDecoding.meta("genesis", bytes, as: Genesis.self)
    }

    func metaValue(_ key: String) throws -> [UInt8]? {
        var binds = PostgresBindings()
        binds.append(key)
        guard let row = try session.query("SELECT value FROM meta WHERE key = $1", binds).first else { return nil }
        return try PostgresColumns(row, table: "meta", row: "key '\(key)'").bytes(0, "value")
    }

    func setMeta(_ key: String, _ value: [UInt8]) throws {
        var binds = PostgresBindings()
        binds.append(key)
        binds.append(ByteBuffer(bytes: value))
        try session.query(
            "INSERT INTO meta(key, value) VALUES ($1, $2) ON CONFLICT (key) DO UPDATE SET value = excluded.value", binds
        )
    }
}
