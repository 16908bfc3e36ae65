import Foundation
import MedLedgerCore
import Testing

@testable import MedLedgerStorage

/// Older ledgers are rewritten to version 5 when opened, with every read answering as
/// before. Each older file is made from a new one the way its version made it: version 1's
/// tables (transactions keyed by hash, events by subject) from its DDL, kept here verbatim
/// since the store no longer has it; version 2's state table; version 3's two indexes;
/// version 4's run tables of one row per key.
@Suite struct LedgerStoreMigrationTests {
    static let version1Tables = """
        CREATE TABLE transactions (
            hash BLOB PRIMARY KEY,
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            signer BLOB NOT NULL,
            receipt BLOB NOT NULL,
            UNIQUE (height, position)
        ) WITHOUT ROWID;
        CREATE TABLE events (
            subject BLOB NOT NULL,
            height INTEGER NOT NULL REFERENCES blocks(height),
            position INTEGER NOT NULL,
            event_index INTEGER NOT NULL,
            time INTEGER NOT NULL,
            event BLOB NOT NULL,
            PRIMARY KEY (subject, height, position, event_index)
        ) WITHOUT ROWID;
        CREATE TABLE state (
            key BLOB PRIMARY KEY,
            value BLOB NOT NULL
        ) WITHOUT ROWID;
        """

    /// Version 3's indexes of transactions by hash and events by subject, verbatim, without
    /// the run indexes that replaced them in version 4.
    static let version3Indexes = """
        DROP TABLE index_runs;
        DROP TABLE transaction_hash_runs;
        DROP TABLE event_subject_runs;
        CREATE UNIQUE INDEX transactions_by_hash ON transactions(hash);
        CREATE INDEX events_by_subject ON events(subject, height, position, event_index);
        """

    /// Turns the file at `path` into a version 3 file with the same rows.
    static func downgradeToVersion3(_ path: String) throws {
        let database = try SQLiteDatabase(path: path)
        try database.transaction {
            try database.execute(version3Indexes)
            try database.run(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(3).canonicalBytes)])
        }
    }

    /// Turns the file at `path` into a version 4 file with the same runs: each chunk's keys
    /// written back as rows of version 4's run tables, whose DDL is kept here verbatim.
    static func downgradeToVersion4(_ path: String) throws {
        let database = try SQLiteDatabase(path: path)
        try database.transaction {
            for table in [RunIndexKeys.transactions.table, RunIndexKeys.eventSubjects.table] {
                let chunks = try database.query("SELECT run, first, keys FROM \(table)")
                try database.execute(
                    """
                    DROP TABLE \(table);
                    CREATE TABLE \(table) (run INTEGER NOT NULL, key BLOB NOT NULL, PRIMARY KEY (run, key)) WITHOUT ROWID;
                    """)
                for chunk in chunks {
                    for key in [chunk[1].blob!] + RunChunk.decode(chunk[2].blob ?? [])! {
                        try database.run("INSERT INTO \(table)(run, key) VALUES (?, ?)", [chunk[0], .blob(key)])
                    }
                }
            }
            try database.run(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(4).canonicalBytes)])
        }
    }

    /// Turns the file at `path` into a version 1 file with the same rows.
    static func downgradeToVersion1(_ path: String) throws {
        let database = try SQLiteDatabase(path: path)
        try database.transaction {
            try database.execute(
                """
                \(version3Indexes)
                ALTER TABLE transactions RENAME TO transactions_v2;
                ALTER TABLE events RENAME TO events_v2;
                ALTER TABLE state RENAME TO state_v2;
                \(version1Tables)
                INSERT INTO transactions SELECT hash, height, position, signer, receipt FROM transactions_v2;
                INSERT INTO events SELECT subject, height, position, event_index, time, event FROM events_v2;
                INSERT INTO state SELECT key, value FROM state_v2;
                DROP TABLE transactions_v2;
                DROP TABLE events_v2;
                DROP TABLE state_v2;
                """)
            try database.run(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(1).canonicalBytes)])
        }
    }

    /// What a node and `verify` read from a ledger, for comparing before and after.
    struct Reads: Equatable {
        var transactions: [StoredTransaction?]
        var receipts: [[IndexedReceipt]]
        var events: [[IndexedEvent]]
        var state: [StateChange]
        var height: Height
    }

    static func reads(_ store: LedgerStore, _ chain: [BlockFixture]) throws -> Reads {
        let transactions = chain.flatMap(\.block.transactions)
        let subjects = transactions.map(\.signer.hash.bytes)
        return Reads(
            transactions: try transactions.map { try store.transaction(hash: $0.hash) },
            receipts: try chain.map { try store.receipts(height: $0.block.header.height) },
            events: try subjects.map { try store.events(subject: $0, before: nil, limit: 10) },
            state: try store.allState().map { StateChange(key: $0.key, value: $0.value) },
            height: try store.latestHeight)
    }

    /// A ledger of three blocks turned into an older version by `downgrade`: its directory,
    /// chain, what it read before the downgrade, and its file's path.
    static func olderLedger(downgrade: (String) throws -> Void) throws -> (
        directory: TemporaryDirectory, chain: [BlockFixture], before: Reads, path: String
    ) {
        let directory = try TemporaryDirectory()
        let chain = Fixtures.chain(count: 3)
        let before = try committed(chain, in: directory)
        let path = directory.url.appendingPathComponent("ledger.sqlite").path
        try downgrade(path)
        return (directory, chain, before, path)
    }

    /// Commits `chain` to a new ledger in `directory` and returns what it reads back.
    static func committed(_ chain: [BlockFixture], in directory: TemporaryDirectory) throws -> Reads {
        let store = try LedgerStore(dataDirectory: directory.url)
        try store.saveGenesis(Fixtures.genesis)
        for fixture in chain { try store.commit(fixture) }
        return try reads(store, chain)
    }

    @Test func aVersion1LedgerIsMigratedWithEveryReadUnchanged() throws {
        let directory = try TemporaryDirectory()
        let chain = Fixtures.chain(count: 3)
        let before = try Self.committed(chain, in: directory)
        #expect(before.transactions.allSatisfy { $0 != nil })
        #expect(before.events.allSatisfy { $0.count == 1 })
        let path = directory.url.appendingPathComponent("ledger.sqlite").path
        try Self.downgradeToVersion1(path)
        #expect(try Self.tableSQL(path, "transactions").contains("hash BLOB PRIMARY KEY"))
        #expect(try Self.tableSQL(path, "state").contains("key BLOB PRIMARY KEY"))

        let migrated = try LedgerStore(dataDirectory: directory.url)
        #expect(try Self.reads(migrated, chain) == before)
        #expect(try Self.tableSQL(path, "transactions").contains("PRIMARY KEY (height, position)"))
        #expect(try Self.tableSQL(path, "events").contains("PRIMARY KEY (height, position, event_index, subject)"))
        #expect(try Self.tableSQL(path, "state").contains("id INTEGER PRIMARY KEY"))
        // The migrated ledger keeps growing like a new one, and finds old and new alike.
        let next = Fixtures.block(
            height: 4, previous: chain[2].block.hash, lastCommit: chain[2].certificate)
        try migrated.commit(next)
        #expect(try migrated.latestHeight == 4)
        #expect(try migrated.transaction(hash: chain[0].block.transactions[0].hash)?.height == 1)
        #expect(try migrated.transaction(hash: next.block.transactions[1].hash)?.height == 4)
    }

    @Test func aLedgerOfAnUnknownVersionIsRefusedNamingTheVersions() throws {
        let directory = try TemporaryDirectory()
        _ = try LedgerStore(dataDirectory: directory.url)
        let path = directory.url.appendingPathComponent("ledger.sqlite").path
        try SQLiteDatabase(path: path).run(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(6).canonicalBytes)])
        let error = #expect(throws: StorageError.self) { try LedgerStore(dataDirectory: directory.url) }
        #expect(error?.message.contains("schema version 6, this build reads 5 (and migrates 1 to 4)") == true)
    }

    @Test func aVersion4LedgerGetsItsRunsInChunksWithEveryReadUnchanged() throws {
        let (directory, chain, before, path) = try Self.olderLedger(downgrade: Self.downgradeToVersion4)
        #expect(try Self.tableSQL(path, "transaction_hash_runs").contains("key BLOB NOT NULL"))
        #expect(try SQLiteDatabase(path: path).query("SELECT COUNT(*) FROM transaction_hash_runs") == [[.integer(6)]])

        let migrated = try LedgerStore(dataDirectory: directory.url)
        #expect(try Self.reads(migrated, chain) == before)
        for table in ["transaction_hash_runs", "event_subject_runs"] {
            #expect(try Self.tableSQL(path, table).contains("first BLOB NOT NULL, keys BLOB NOT NULL"))
        }
        let runs = try SQLiteDatabase(path: path).query("SELECT index_table, level FROM index_runs ORDER BY run")
        #expect(runs == [[.text("transaction_hash_runs"), .integer(0)], [.text("event_subject_runs"), .integer(0)]])
        #expect(try RunIndexKeys.transactions.count(in: SQLiteDatabase(path: path)) == 6)
        // It goes on growing like a new ledger.
        let next = Fixtures.block(height: 4, previous: chain[2].block.hash, lastCommit: chain[2].certificate)
        try migrated.commit(next)
        #expect(try migrated.transaction(hash: chain[0].block.transactions[0].hash)?.height == 1)
        #expect(try migrated.transaction(hash: next.block.transactions[1].hash)?.height == 4)
    }

    @Test func aVersion3LedgerGetsRunIndexesWithEveryReadUnchanged() throws {
        let (directory, chain, before, path) = try Self.olderLedger(downgrade: Self.downgradeToVersion3)
        #expect(try Self.indexNames(path).contains("transactions_by_hash"))

        let migrated = try LedgerStore(dataDirectory: directory.url)
        #expect(try Self.reads(migrated, chain) == before)
        let indexes = try Self.indexNames(path)
        #expect(!indexes.contains("transactions_by_hash") && !indexes.contains("events_by_subject"), "\(indexes)")
        let runs = try SQLiteDatabase(path: path).query("SELECT index_table, level FROM index_runs ORDER BY run")
        #expect(runs == [[.text("transaction_hash_runs"), .integer(0)], [.text("event_subject_runs"), .integer(0)]])
        // Opening it again changes nothing.
        _ = try LedgerStore(dataDirectory: directory.url)
        #expect(try SQLiteDatabase(path: path).query("SELECT index_table, level FROM index_runs ORDER BY run") == runs)
    }

    static func indexNames(_ path: String) throws -> [String] {
        try SQLiteDatabase(path: path).query("SELECT name FROM sqlite_master WHERE type = 'index'").compactMap {
            $0[0].text
        }
    }

    /// Version 2's `state`, verbatim: the same rows with a unique index on the key.
    static let version2State = """
        CREATE TABLE state (
            id INTEGER PRIMARY KEY,
            key BLOB NOT NULL UNIQUE,
            value BLOB NOT NULL
        );
        """

    /// Turns the file at `path` into a version 2 file with the same rows and row ids.
    static func downgradeToVersion2(_ path: String) throws {
        let database = try SQLiteDatabase(path: path)
        try database.transaction {
            try database.execute(
                """
                \(version3Indexes)
                ALTER TABLE state RENAME TO state_v3;
                \(version2State)
                INSERT INTO state SELECT id, key, value FROM state_v3;
                DROP TABLE state_v3;
                """)
            try database.run(
                "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(2).canonicalBytes)])
        }
    }

    @Test func aVersion2LedgerLosesItsStateKeyIndexWithEveryRowKept() throws {
        let directory = try TemporaryDirectory()
        let chain = Fixtures.chain(count: 3)
        let before = try Self.committed(chain, in: directory)
        #expect(before.state.count == 6)
        let path = directory.url.appendingPathComponent("ledger.sqlite").path
        let rowIDs = "SELECT id, key FROM state ORDER BY id"
        let rowsBefore = try SQLiteDatabase(path: path).query(rowIDs)
        try Self.downgradeToVersion2(path)
        #expect(try Self.tableSQL(path, "state").contains("key BLOB NOT NULL UNIQUE"))

        let migrated = try LedgerStore(dataDirectory: directory.url)
        #expect(try Self.reads(migrated, chain) == before)
        #expect(try SQLiteDatabase(path: path).query(rowIDs) == rowsBefore)
        #expect(try !Self.tableSQL(path, "state").contains("UNIQUE"))
        // New keys go after the migrated rows; a changed key stays in its row.
        let next = Fixtures.block(height: 4, previous: chain[2].block.hash, lastCommit: chain[2].certificate)
        try migrated.commit(next)
        let changed = before.state[0].key
        let after = Fixtures.block(height: 5, previous: next.block.hash, lastCommit: next.certificate, count: 0)
        try migrated.commit(
            after.block, certificate: after.certificate, receipts: after.receipts,
            stateChanges: [StateChange(key: changed, value: [7])])
        #expect(try migrated.allState().count == 8)
        #expect(try migrated.stateValue(forKey: changed) == [7])
        #expect(try SQLiteDatabase(path: path).query(rowIDs).prefix(6).map { $0[0] } == rowsBefore.map { $0[0] })
    }

    static func tableSQL(_ path: String, _ table: String) throws -> String {
        let rows = try SQLiteDatabase(path: path).query(
            "SELECT sql FROM sqlite_master WHERE type = 'table' AND name = ?", [.text(table)])
        return try #require(rows.first?.first?.text)
    }
}
