import MedLedgerCore
import MedLedgerStorage
import Testing

/// The reads `verify`, the dashboard and the event stream use, against both stores (part of
/// the storage conformance suite).
@Suite struct LedgerStoreIndexTests {
    let chain = Fixtures.chain(count: 3)

    @Test(arguments: StoreKind.underTest) func verifyReadsMatchTheCommittedBlocks(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        for fixture in chain { try store.commit(fixture) }
        for fixture in chain {
            let height = fixture.block.header.height
            let indexed = try store.receipts(height: height)
            #expect(indexed.map(\.hash) == fixture.block.transactions.map(\.hash))
            #expect(indexed.map(\.position) == Array(fixture.block.transactions.indices))
            #expect(indexed.map(\.receipt) == fixture.receipts)
            #expect(
                try store.eventRows(height: height)
                    == EventRow.expected(
                        header: fixture.block.header, transactions: fixture.block.transactions,
                        receipts: fixture.receipts))
        }
        #expect(try store.receipts(height: 9).isEmpty)
        #expect(try store.rowsOutsideCommittedHeights(latest: 3).isEmpty)
        #expect(try store.lookupIndexDamage() == nil)
        let beyond = try store.rowsOutsideCommittedHeights(latest: 1)
        #expect(beyond.map(\.table) == ["blocks", "transactions", "events"])
        #expect(beyond.map(\.count) == [2, 4, 4])
    }

    @Test(arguments: StoreKind.underTest) func recentBlocksComeNewestFirst(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }
        let store = try harness.open()
        #expect(try store.recentBlocks(limit: 5).isEmpty)
        for fixture in chain { try store.commit(fixture) }
        let recent = try store.recentBlocks(limit: 2)
        #expect(recent.map(\.header) == [chain[2].block.header, chain[1].block.header])
        #expect(recent.map(\.certificate) == [chain[2].certificate, chain[1].certificate])
        #expect(recent.map(\.transactionCount) == [2, 2])
    }

    @Test(arguments: StoreKind.underTest) func eventStreamReplaysOldestFirstAfterTheCursor(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }
        let store = try harness.open()
        // One subject with events in three blocks: a grant carried by a transaction of each.
        let subject = Array(repeating: UInt8(5), count: 16)
        var previous = Fixtures.genesis.hash
        var lastCommit: CommitCertificate?
        for height in 1...3 {
            let carrier = Fixtures.registerPatient(IdentityKeys.deterministic(seed: "carrier-\(height)"))
            let grant = GrantID(bytes: subject)!
            let receipt = TransactionReceipt.accepted([
                .grantChanged(
                    grant: grant, patient: Fixtures.patientKeys(height: 1, index: 0).identityID,
                    grantee: IdentityKeys.deterministic(seed: "reader").identityID, active: height != 2)
            ])
            let fixture = Fixtures.block(
                height: Height(UInt64(height)), previous: previous, lastCommit: lastCommit, count: 1,
                extra: [(carrier, receipt)])
            try store.commit(fixture)
            previous = fixture.block.hash
            lastCommit = fixture.certificate
        }
        let all = try store.events(subject: subject, after: nil, limit: 10)
        #expect(all.map(\.height) == [1, 2, 3])
        #expect(all.allSatisfy { $0.position == 1 && $0.eventIndex == 0 && $0.transactionHash != nil })
        let rest = try store.events(subject: subject, after: all[0].cursor, limit: 1)
        #expect(rest.map(\.height) == [2])
        #expect(try store.events(subject: subject, after: all[2].cursor, limit: 10).isEmpty)
        #expect(try store.latestEvent(subject: subject)?.height == 3)
    }
}
