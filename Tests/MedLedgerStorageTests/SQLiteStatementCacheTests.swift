import Foundation
import Testing

@testable import MedLedgerStorage

/// Statements are compiled once per connection and kept, without holding a read snapshot,
/// without sharing one statement between nested uses, and without growing past the bound
/// (`SQLiteStatementCache`). Each test that needs a table makes its own `c`.
extension SQLiteDatabaseTests {
    func makeTableC() throws { try database.execute("CREATE TABLE c (n INTEGER PRIMARY KEY)") }

    @Test func theSameSQLIsKeptOnceAndGivesFreshResultsEachTime() throws {
        try makeTableC()
        let kept = database.keptStatementCount
        for number in 1...3 { try database.run("INSERT INTO c VALUES (?)", [.integer(Int64(number))]) }
        #expect(try database.query("SELECT COUNT(*) FROM c") == [[.integer(3)]])
        try database.run("INSERT INTO c VALUES (?)", [.integer(4)])
        #expect(try database.query("SELECT COUNT(*) FROM c") == [[.integer(4)]])
        #expect(database.keptStatementCount == kept + 2, "one INSERT and one SELECT kept")
    }

    @Test func aNestedUseOfTheSameSQLGetsItsOwnStatement() throws {
        try makeTableC()
        for number in 1...3 { try database.run("INSERT INTO c VALUES (?)", [.integer(Int64(number))]) }
        let sql = "SELECT n FROM c ORDER BY n"
        var outer = [Int64]()
        var inner = [[SQLiteRow]]()
        try database.withStatement(sql) { statement in
            try statement.bind([])
            while try statement.step() {
                outer.append(statement.value(at: 0).integer ?? -1)
                inner.append(try database.query(sql))
            }
        }
        #expect(outer == [1, 2, 3], "the inner query did not reset the outer one")
        #expect(inner.allSatisfy { $0 == [[.integer(1)], [.integer(2)], [.integer(3)]] })
    }

    @Test func aStatementLeftMidRowsHoldsNoSnapshotOnceGivenBack() throws {
        try makeTableC()
        for number in 1...2 { try database.run("INSERT INTO c VALUES (?)", [.integer(Int64(number))]) }
        let sql = "SELECT n FROM c ORDER BY n"
        let first = try database.withStatement(sql) { statement in
            try statement.bind([])
            return try statement.step() ? statement.value(at: 0) : nil
        }
        #expect(first == .integer(1))
        // Had the kept statement stayed mid-rows, this connection would still read the old
        // snapshot, and the other could not checkpoint past it.
        let other = try SQLiteDatabase(path: database.path)
        try other.run("INSERT INTO c VALUES (7)")
        #expect(try other.query("PRAGMA wal_checkpoint(TRUNCATE)").first?.first == .integer(0), "not busy")
        #expect(try database.query("SELECT COUNT(*) FROM c") == [[.integer(3)]])
    }

    @Test func aStatementThatFailedWorksAgain() throws {
        try makeTableC()
        try database.run("INSERT INTO c VALUES (?)", [.integer(1)])
        #expect(throws: StorageError.self) { try database.run("INSERT INTO c VALUES (?)", [.integer(1)]) }
        try database.run("INSERT INTO c VALUES (?)", [.integer(2)])
        #expect(try database.query("SELECT n FROM c ORDER BY n") == [[.integer(1)], [.integer(2)]])
    }

    @Test func sqlBuiltFromValuesDoesNotGrowTheCachePastItsBound() throws {
        for number in 0..<(SQLiteStatementCache.capacity * 2) {
            _ = try database.query("SELECT \(number)")
        }
        #expect(database.keptStatementCount == SQLiteStatementCache.capacity)
        #expect(try database.query("SELECT 1000") == [[.integer(1000)]], "a full cache still runs new SQL")
    }

    @Test func aKeptStatementFollowsASchemaChange() throws {
        try makeTableC()
        try database.run("INSERT INTO c VALUES (1)")
        #expect(try database.query("SELECT * FROM c") == [[.integer(1)]])
        try database.execute("DROP TABLE c; CREATE TABLE c (n INTEGER, label TEXT)")
        try database.run("INSERT INTO c VALUES (2, 'two')")
        #expect(try database.query("SELECT * FROM c") == [[.integer(2), .text("two")]])
    }
}
