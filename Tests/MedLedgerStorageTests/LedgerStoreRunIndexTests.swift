import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

/// The SQLite store over enough blocks that its run indexes merge (16 runs of a level make
/// one of the next): transactions are found by hash and a subject's events page the same
/// way before, during and after the merges.
@Suite struct LedgerStoreRunIndexTests {
    /// `count` blocks, each with one new patient and a grant event on one shared subject.
    static func chain(count: Int, subject: [UInt8]) -> [BlockFixture] {
        var fixtures: [BlockFixture] = []
        var previous = Fixtures.genesis.hash
        for height in 1...count {
            let carrier = Fixtures.registerPatient(IdentityKeys.deterministic(seed: "run-carrier-\(height)"))
            let receipt = TransactionReceipt.accepted([
                .grantChanged(
                    grant: GrantID(bytes: subject)!, patient: Fixtures.patientKeys(height: 1, index: 0).identityID,
                    grantee: IdentityKeys.deterministic(seed: "reader").identityID, active: true)
            ])
            let fixture = Fixtures.block(
                height: Height(UInt64(height)), previous: previous, lastCommit: fixtures.last?.certificate, count: 1,
                extra: [(carrier, receipt)])
            fixtures.append(fixture)
            previous = fixture.block.hash
        }
        return fixtures
    }

    @Test func readsAnswerTheSameAcrossMerges() throws {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        try store.saveGenesis(Fixtures.genesis)
        let subject = Array(repeating: UInt8(9), count: 16)
        let chain = Self.chain(count: 40, subject: subject)
        for (index, fixture) in chain.enumerated() {
            try store.commit(fixture)
            let committed = chain[...index]
            // Every transaction so far, by hash, at its height and position.
            for earlier in committed {
                for (position, transaction) in earlier.block.transactions.enumerated() {
                    let found = try store.transaction(hash: transaction.hash)
                    #expect(found?.height == earlier.block.header.height && found?.position == position)
                }
            }
            // The shared subject's events, newest first in pages of 3, then oldest first.
            var pages: [IndexedEvent] = []
            var cursor: EventCursor?
            repeat {
                let page = try store.events(subject: subject, before: cursor, limit: 3)
                pages += page
                cursor = page.count == 3 ? page.last?.cursor : nil
            } while cursor != nil
            #expect(pages.map(\.height.rawValue) == (1...UInt64(index + 1)).reversed().map { $0 })
            let forward = try store.events(
                subject: subject, after: EventCursor(height: 5, position: 1, eventIndex: 0), limit: 4)
            #expect(forward.map(\.height.rawValue) == Array((1...UInt64(index + 1)).filter { $0 > 5 }.prefix(4)))
        }
        #expect(try store.transaction(hash: Hash256.zero) == nil)
        #expect(try store.events(subject: [9, 9], before: nil, limit: 10).isEmpty, "a prefix of a subject is not it")
        // 40 blocks of two transactions: the first 16 runs were merged into one a level up.
        let levels = try SQLiteDatabase(path: store.path).query(
            "SELECT level FROM index_runs WHERE index_table = 'transaction_hash_runs' AND merging_into IS NULL")
        #expect(levels.contains([.integer(1)]), "\(levels)")
    }

    /// A store of 20 blocks (its first 16 runs of each index merged), with `tamper` applied
    /// to its file: what `lookupIndexDamage` then says.
    static func damage(after tamper: (SQLiteDatabase) throws -> Void) throws -> (index: String, reason: String)? {
        let directory = try TemporaryDirectory()
        let store = try LedgerStore(dataDirectory: directory.url)
        try store.saveGenesis(Fixtures.genesis)
        for fixture in chain(count: 20, subject: Array(repeating: 7, count: 16)) { try store.commit(fixture) }
        #expect(try store.lookupIndexDamage() == nil, "an untouched store")
        try tamper(SQLiteDatabase(path: store.path))
        return try store.lookupIndexDamage()
    }

    @Test func verifyFindsAKeyMissingExtraOrUnseenInTheRunIndexes() throws {
        let missing = try Self.damage { database in
            try database.run(
                "DELETE FROM event_subject_runs WHERE first = (SELECT MAX(first) FROM event_subject_runs)")
        }
        #expect(missing?.index == "event_subject_runs")
        #expect(missing?.reason.hasSuffix("is missing") == true, "\(String(describing: missing))")

        let extra = try Self.damage { database in
            let run = try #require(
                try database.query("SELECT run FROM index_runs WHERE index_table = 'transaction_hash_runs' LIMIT 1")
                    .first?.first)
            try database.run(
                "INSERT INTO transaction_hash_runs(run, first, keys) VALUES (?, ?, X'')", [run, .blob([0xFF, 0xFF])])
        }
        #expect(extra?.index == "transaction_hash_runs")
        #expect(extra?.reason.hasSuffix("ffff is not a stored row's") == true, "\(String(describing: extra))")

        let unseen = try Self.damage { database in
            try database.run(
                "UPDATE transaction_hash_runs SET run = 999 WHERE run = (SELECT MAX(run) FROM transaction_hash_runs)")
        }
        #expect(unseen?.index == "transaction_hash_runs")
        #expect(unseen?.reason.contains("not listed in index_runs") == true, "\(String(describing: unseen))")

        let damaged = try Self.damage { database in
            try database.run("UPDATE event_subject_runs SET keys = X'7F'")
        }
        #expect(damaged?.reason.contains("a chunk of keys is malformed") == true, "\(String(describing: damaged))")
    }
}
