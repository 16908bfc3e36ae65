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
}
