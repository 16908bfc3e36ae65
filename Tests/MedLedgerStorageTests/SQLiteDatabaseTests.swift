import Foundation
import MedLedgerStorage
import Testing

@Suite struct SQLiteDatabaseTests {
    let directory: TemporaryDirectory
    let database: SQLiteDatabase

    init() throws {
        directory = try TemporaryDirectory()
        database = try SQLiteDatabase(path: directory.url.appendingPathComponent("test.sqlite").path)
    }

    @Test func opensWithWALFullSyncForeignKeysAndA64MiBPageCache() throws {
        #expect(try database.query("PRAGMA journal_mode").first?.first?.text == "wal")
        #expect(try database.query("PRAGMA synchronous").first?.first?.integer == 2)  // 2 = FULL
        #expect(try database.query("PRAGMA foreign_keys").first?.first?.integer == 1)
        #expect(try database.query("PRAGMA cache_size").first?.first?.integer == -65_536)  // KiB when negative
    }

    @Test func bindsAndReadsEveryValueType() throws {
        try database.execute("CREATE TABLE t (a, b, c, d, e)")
        let values: [SQLiteValue] = [
            .integer(Int64.min), .blob([0, 1, 0xff]), .blob([]), .text("héllo\u{0}wörld"), .null,
        ]
        try database.run("INSERT INTO t VALUES (?, ?, ?, ?, ?)", values)
        let rows = try database.query("SELECT a, b, c, d, e FROM t")
        #expect(rows == [values])
    }

    @Test func reusesAPreparedStatement() throws {
        try database.execute("CREATE TABLE t (n INTEGER)")
        try database.withStatement("INSERT INTO t VALUES (?)") { statement in
            for number in 1...5 { try statement.run([.integer(Int64(number))]) }
        }
        let sum = try database.query("SELECT SUM(n) FROM t").first?.first?.integer
        #expect(sum == 15)
    }

    @Test func transactionRollsBackWhenTheBodyThrows() throws {
        struct Abort: Error {}
        try database.execute("CREATE TABLE t (n INTEGER)")
        #expect(throws: Abort.self) {
            try database.transaction {
                try database.run("INSERT INTO t VALUES (1)")
                throw Abort()
            }
        }
        try database.transaction { try database.run("INSERT INTO t VALUES (2)") }
        #expect(try database.query("SELECT n FROM t") == [[.integer(2)]])
    }

    @Test func errorsNameTheOperationAndSQLiteMessage() throws {
        let syntax = #expect(throws: StorageError.self) { try database.execute("CREATE TABLET nope") }
        #expect(syntax?.kind == .sqlite)
        #expect(syntax?.message.contains("CREATE TABLET nope") == true)
        #expect(syntax?.message.contains("syntax error") == true)

        try database.execute("CREATE TABLE t (k BLOB PRIMARY KEY)")
        try database.run("INSERT INTO t VALUES (?)", [.blob([1])])
        let duplicate = #expect(throws: StorageError.self) {
            try database.run("INSERT INTO t VALUES (?)", [.blob([1])])
        }
        #expect(duplicate?.kind == .constraint)
        #expect(duplicate?.message.contains("step") == true)
        #expect(duplicate?.message.contains("UNIQUE constraint failed") == true)
    }

    @Test func serializesUseFromManyThreads() throws {
        try database.execute("CREATE TABLE t (n INTEGER)")
        let database = self.database
        DispatchQueue.concurrentPerform(iterations: 8) { thread in
            for number in 0..<25 {
                try! database.transaction {
                    try database.run("INSERT INTO t VALUES (?)", [.integer(Int64(thread * 100 + number))])
                }
            }
        }
        #expect(try database.query("SELECT COUNT(*) FROM t").first?.first?.integer == 200)
    }
}
