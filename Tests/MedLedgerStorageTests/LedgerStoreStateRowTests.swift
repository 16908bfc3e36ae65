import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

/// The SQLite store finds a state key's row through a map in memory (`StateRowIndex`), not
/// an index in the file: new keys are appended, changed keys rewritten in their row, and the
/// map follows the file only once a block is committed.
@Suite struct LedgerStoreStateRowTests {
    static func database(_ directory: TemporaryDirectory) throws -> SQLiteDatabase {
        try SQLiteDatabase(path: directory.url.appendingPathComponent("ledger.sqlite").path)
    }

    /// (row id, key) of every state row, in row-id order.
    static func rows(_ directory: TemporaryDirectory) throws -> [(id: Int64, key: [UInt8])] {
        try database(directory).query("SELECT id, key FROM state ORDER BY id").map { ($0[0].integer!, $0[1].blob!) }
    }

    static func commit(_ store: LedgerStore, _ fixture: BlockFixture, _ changes: [StateChange]) throws {
        try store.commit(
            fixture.block, certificate: fixture.certificate, receipts: fixture.receipts, stateChanges: changes)
    }

    @Test func newKeysAreAppendedAndChangedKeysKeepTheirRow() throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        let first = Fixtures.chain(count: 1)[0]
        try Self.commit(store, first, [StateChange(key: [9], value: [1]), StateChange(key: [1], value: [1])])
        let second = Fixtures.block(height: 2, previous: first.block.hash, lastCommit: first.certificate)
        try Self.commit(
            store, second,
            [
                StateChange(key: [9], value: [2]), StateChange(key: [5], value: [1]),
                StateChange(key: [1], value: nil), StateChange(key: [1], value: [3]),
            ])
        let rows = try Self.rows(directory)
        // [9] kept row 1; [1] was deleted and written again, so it is appended after [5].
        #expect(rows.map(\.id) == [1, 3, 4])
        #expect(rows.map(\.key) == [[9], [5], [1]])
        #expect(try store.stateValue(forKey: [9]) == [2])
        #expect(try store.stateValue(forKey: [1]) == [3])
        let indexes = try Self.database(directory).query(
            "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'state'")
        #expect(indexes.isEmpty, "state has an index: \(indexes)")

        // Reopened, the store reads the same rows and appends after them.
        let reopened = try LedgerStore(dataDirectory: directory.url)
        let third = Fixtures.block(height: 3, previous: second.block.hash, lastCommit: second.certificate)
        try Self.commit(reopened, third, [StateChange(key: [5], value: [2]), StateChange(key: [7], value: [1])])
        #expect(try Self.rows(directory).map(\.id) == [1, 3, 4, 5])
        #expect(try reopened.allState().map(\.key) == [[1], [5], [7], [9]])
        #expect(try reopened.allState().map(\.value) == [[3], [2], [1], [2]])
    }

    /// If the map took a block's keys before its transaction committed, the retried block
    /// would rewrite rows that were rolled back, and its keys would be missing from the file.
    @Test func aFailedCommitLeavesTheMapAsTheFileIs() throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        let first = Fixtures.chain(count: 1)[0]
        try Self.commit(store, first, [StateChange(key: [1], value: [1])])
        // Row 3 is taken behind the store's back: block 2's first new key is inserted as row
        // 2, and its second fails to insert, which rolls the whole block back.
        try Self.database(directory).run("INSERT INTO state(id, key, value) VALUES (3, X'EE', X'00')")
        let second = Fixtures.block(height: 2, previous: first.block.hash, lastCommit: first.certificate)
        let changes = [
            StateChange(key: [1], value: [2]), StateChange(key: [2], value: [1]), StateChange(key: [3], value: [1]),
        ]
        let error = #expect(throws: StorageError.self) { try Self.commit(store, second, changes) }
        #expect(error?.kind == .constraint)
        #expect(try store.latestHeight == 1)

        #expect(try Self.rows(directory).map(\.id) == [1, 3])
        try Self.database(directory).run("DELETE FROM state WHERE id = 3")
        try Self.commit(store, second, changes)
        #expect(try store.allState().map(\.key) == [[1], [2], [3]])
        #expect(try store.allState().map(\.value) == [[2], [1], [1]])
        #expect(try store.stateValue(forKey: [2]) == [1])
    }

    @Test func aKeyStoredInTwoRowsIsRefusedAtOpeningNamingBoth() throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        let first = Fixtures.chain(count: 1)[0]
        try Self.commit(store, first, [StateChange(key: [0xAB], value: [1])])
        try Self.database(directory).run("INSERT INTO state(id, key, value) VALUES (7, X'AB', X'02')")
        let error = #expect(throws: StorageError.self) { try LedgerStore(dataDirectory: directory.url) }
        #expect(error?.message.contains("id 7") == true, "\(String(describing: error))")
        #expect(error?.message.contains("key ab is also stored in row 1") == true, "\(String(describing: error))")
    }

    @Test func aRowChangedBehindTheStoresBackIsNamedWhenRead() throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        let first = Fixtures.chain(count: 1)[0]
        try Self.commit(store, first, [StateChange(key: [0xAB], value: [1])])
        try Self.database(directory).run("UPDATE state SET key = X'CD' WHERE id = 1")
        let error = #expect(throws: StorageError.self) { try store.stateValue(forKey: [0xAB]) }
        #expect(error?.message.contains("id 1") == true, "\(String(describing: error))")
        #expect(error?.message.contains("does not hold key ab") == true, "\(String(describing: error))")
    }
}
