import Foundation
import MedLedgerCore
import Synchronization

/// The node's ledger on disk: blocks, their certificates, transactions with receipts, the
/// event index and the contract state, in one SQLite file at `<dataDir>/ledger.sqlite`.
///
/// A block and everything it changed are written in one SQLite transaction (`commit`), so
/// after a crash the store holds either all of a block or none of it. Every read decodes
/// with Core's canonical decoders and reports damaged bytes as a `StorageError` naming the
/// table and the row. Thread-safe: the database's connection is serialized by
/// `SQLiteDatabase`, and the state keys' row ids (`StateRowIndex`) by a mutex that a commit
/// holds from before its transaction until the map has taken the block's keys.
public final class LedgerStore: LedgerDatabase {
    /// The schema this code reads and writes; stored in `meta` as `schema_version`.
    public static let schemaVersion: UInt64 = 5

    /// The SQLite file.
    public let path: String
    public var location: String { path }
    let database: SQLiteDatabase
    /// Where each state key's row is; see `StateRowIndex` for why it is not in the file.
    let stateRows: Mutex<StateRowIndex>

    /// Opens the ledger in `dataDirectory`, creating the directory and the schema if needed.
    /// - Throws: `StorageError` when the file cannot be opened, its schema version is not
    ///   `schemaVersion`, or its recorded height disagrees with its blocks.
    public init(dataDirectory: URL) throws {
        do {
            try FileManager.default.createDirectory(at: dataDirectory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.io, "create data directory \(dataDirectory.path): \(error.localizedDescription)")
        }
        path = dataDirectory.appendingPathComponent("ledger.sqlite").path
        database = try SQLiteDatabase(path: path, checkpoints: .backgroundDefault)
        stateRows = Mutex(StateRowIndex())
        try database.transaction { try createOrCheckSchema() }
        try checkHeightMatchesBlocks()
        let rows = try StateRowIndex(database: database)
        stateRows.withLock { $0 = rows }
    }

    /// Creates the schema in a new file, migrates a version 1 to 4 file (see `schema` for
    /// why), and refuses any other version. Runs in the opening transaction.
    private func createOrCheckSchema() throws {
        // `meta` first: the rest of the schema must not be created over an older file, whose
        // tables have the same names.
        try database.execute("CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value BLOB NOT NULL);")
        guard let stored = try metaValue("schema_version") else {
            try database.execute(Self.schema)
            try setMeta("schema_version", Self.schemaVersion.canonicalBytes)
            return
        }
        let version = try decodeMeta("schema_version", stored, as: UInt64.self)
        switch version {
        case Self.schemaVersion:
            try database.execute(Self.schema)
        case 1, 2, 3, 4:
            if version == 1 { try database.execute(Self.migrationFromVersion1) }
            if version == 2 { try database.execute(Self.migrationFromVersion2) }
            if version == 4 { try database.execute(Self.dropRowPerKeyRuns) }
            if version >= 3 { try database.execute(Self.schema) }
            try database.execute(Self.dropRandomIndexes)
            try indexStoredRows()
            try setMeta("schema_version", Self.schemaVersion.canonicalBytes)
        default:
            throw StorageError(
                .invalidState,
                "\(path): schema version \(version), this build reads \(Self.schemaVersion) (and migrates 1 to 4)")
        }
    }

    /// `meta.height` is written with each block; a mismatch means the file was edited.
    private func checkHeightMatchesBlocks() throws {
        let recorded = try latestHeight
        let highest = Height(try database.query("SELECT MAX(height) FROM blocks").first?.first?.unsigned ?? 0)
        guard recorded == highest else {
            throw StorageError.corrupt(
                table: "meta", row: "key 'height'",
                "says \(recorded), highest block is \(highest)")
        }
    }

    /// The height of the last committed block, 0 before the first.
    /// - Throws: `StorageError` when the stored height is damaged.
    public var latestHeight: Height {
        get throws {
            guard let bytes = try metaValue("height") else { return 0 }
            return Height(try decodeMeta("height", bytes, as: UInt64.self))
        }
    }

    /// Stores the chain's genesis (once). Saving the same genesis again does nothing.
    /// - Throws: `StorageError` (`.invalidState`) when a different genesis is already stored.
    public func saveGenesis(_ genesis: Genesis) throws {
        try database.transaction {
            if let existing = try loadGenesis() {
                guard existing == genesis else {
                    throw StorageError(
                        .invalidState,
                        "\(path) already holds the genesis of chain \(existing.chainID) (\(existing.hash))")
                }
                return
            }
            try setMeta("genesis", genesis.canonicalBytes)
            try setMeta("chain_id", Array(genesis.chainID.utf8))
        }
    }

    /// The stored genesis, or nil before `saveGenesis`.
    /// - Throws: `StorageError` when the stored bytes do not decode.
    public func loadGenesis() throws -> Genesis? {
        guard let bytes = try metaValue("genesis") else { return nil }
        return try decodeMeta("genesis", bytes, as: Genesis.self)
    }

    func metaValue(_ key: String) throws -> [UInt8]? {
        guard let row = try database.query("SELECT value FROM meta WHERE key = ?", [.text(key)]).first else {
            return nil
        }
        guard let bytes = row[0].blob else {
            throw StorageError.corrupt(table: "meta", row: "key '\(key)'", "value is not a blob")
        }
        return bytes
    }

    func setMeta(_ key: String, _ value: [UInt8]) throws {
        let upsert = "INSERT INTO meta(key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value"
        try database.run(upsert, [.text(key), .blob(value)])
    }

    private func decodeMeta<T: CanonicalDecodable>(_ key: String, _ bytes: [UInt8], as type: T.Type) throws -> T {
        try StoredRowDecoding.meta(key, bytes, as: type)
    }
}
