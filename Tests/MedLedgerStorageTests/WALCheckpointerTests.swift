import Foundation
import Testing

@testable import MedLedgerStorage

/// Background checkpoints: the thread copies the log back, the commit does not, and a commit
/// still does when the log outgrows the thread.
@Suite struct WALCheckpointerTests {
    let directory: TemporaryDirectory
    var path: String { directory.url.appendingPathComponent("test.sqlite").path }

    init() throws {
        directory = try TemporaryDirectory()
    }

    /// Rows of about a page each, `transactions` commits of `rowsEach` rows.
    private func write(_ database: SQLiteDatabase, transactions: Int, rowsEach: Int) throws {
        try database.execute("CREATE TABLE IF NOT EXISTS t (n INTEGER PRIMARY KEY, b BLOB NOT NULL)")
        for _ in 0..<transactions {
            try database.transaction {
                for _ in 0..<rowsEach {
                    try database.run("INSERT INTO t (b) VALUES (?)", [.blob([UInt8](repeating: 0xab, count: 4_000))])
                }
            }
        }
    }

    private func mainFileBytes() throws -> Int {
        try FileManager.default.attributesOfItem(atPath: path)[.size] as? Int ?? 0
    }

    @Test func theThreadCopiesTheLogBackAfterACommitAsksForIt() async throws {
        let database = try SQLiteDatabase(
            path: path, checkpoints: .background(requestFrames: 20, inlineFrames: 100_000))
        try write(database, transactions: 4, rowsEach: 10)
        var waited = 0
        while try mainFileBytes() < 40 * 4_000, waited < 10_000 {
            try await Task.sleep(for: .milliseconds(10))
            waited += 10
        }
        #expect(try mainFileBytes() >= 40 * 4_000)
        #expect((database.backgroundCheckpoints ?? 0) >= 1)
    }

    @Test func aCommitDoesNotCopyTheLogBackItself() throws {
        // Over SQLite's own automatic checkpoint (1,000 frames), which the hook replaces; the
        // thread is never asked, so nothing reaches the main file.
        let database = try SQLiteDatabase(
            path: path, checkpoints: .background(requestFrames: 100_000, inlineFrames: 100_000))
        try write(database, transactions: 12, rowsEach: 100)
        #expect(try mainFileBytes() < 1_000 * 4_096)
        #expect(database.backgroundCheckpoints == 0)
    }

    @Test func aCommitCopiesTheLogBackWhenItOutgrowsTheThread() throws {
        let database = try SQLiteDatabase(path: path, checkpoints: .background(requestFrames: 30, inlineFrames: 30))
        try write(database, transactions: 4, rowsEach: 10)
        // Already there when the commit returns: the commit did it.
        #expect(try mainFileBytes() >= 30 * 4_000)
        #expect(database.backgroundCheckpoints == 0)
    }

    @Test func everyCommittedRowIsThereAfterTheDatabaseIsClosedAndOpenedAgain() throws {
        do {
            let database = try SQLiteDatabase(path: path, checkpoints: .background(requestFrames: 5, inlineFrames: 50))
            try write(database, transactions: 30, rowsEach: 3)
        }
        let reopened = try SQLiteDatabase(path: path)
        #expect(try reopened.query("SELECT COUNT(*) FROM t").first?.first?.integer == 90)
        #expect(try reopened.query("PRAGMA integrity_check").first?.first?.text == "ok")
    }

    @Test func theLedgerStoreCheckpointsInTheBackground() throws {
        let store = try LedgerStore(dataDirectory: directory.url)
        #expect(store.database.backgroundCheckpoints == 0)
    }
}
