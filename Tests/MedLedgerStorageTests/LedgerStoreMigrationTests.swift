import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

/// A version 1 ledger (transactions keyed by hash, events by subject) is rewritten to
/// version 2 when opened, with every read answering as before. The version 1 file is made
/// the way version 1 made it: its tables created from version 1's DDL (kept here verbatim,
/// since the store no longer has it) and filled with a version 2 store's rows.
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

    /// Turns the version 2 file at `path` into a version 1 file with the same rows.
    static func downgradeToVersion1(_ path: String) throws {
        let database = try SQLiteDatabase(path: path)
        try database.transaction {
            try database.execute(
                """
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
        // The migrated ledger keeps growing like a new one, and its hash index still
        // refuses a transaction stored twice.
        let next = Fixtures.block(
            height: 4, previous: chain[2].block.hash, lastCommit: chain[2].certificate)
        try migrated.commit(next)
        #expect(try migrated.latestHeight == 4)
        let again = Fixtures.block(
            height: 5, previous: next.block.hash, lastCommit: next.certificate, count: 0,
            extra: [(chain[0].block.transactions[0], chain[0].receipts[0])])
        #expect(throws: StorageError.self) { try migrated.commit(again) }
    }

    @Test func aLedgerOfAnUnknownVersionIsRefusedNamingTheVersions() throws {
        let directory = try TemporaryDirectory()
        _ = try LedgerStore(dataDirectory: directory.url)
        let path = directory.url.appendingPathComponent("ledger.sqlite").path
        try SQLiteDatabase(path: path).run(
            "UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(4).canonicalBytes)])
        let error = #expect(throws: StorageError.self) { try LedgerStore(dataDirectory: directory.url) }
        #expect(error?.message.contains("schema version 4, this build reads 3 (and migrates 1 and 2)") == true)
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
