import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

/// Part of the storage conformance suite: each test runs against SQLite and PostgreSQL.
@Suite struct LedgerStoreTests {

    @Test(arguments: StoreKind.underTest) func emptyStoreHasHeightZero(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        #expect(try store.latestHeight == 0)
        #expect(try store.block(at: 1) == nil)
        #expect(try store.rawBlock(at: 1) == nil)
        #expect(try store.allState().isEmpty)
        if kind == .sqlite {
            #expect(
                FileManager.default.fileExists(
                    atPath: harness.directory.url.appendingPathComponent("ledger.sqlite").path))
        }
    }

    @Test(arguments: StoreKind.underTest) func committedBlocksReadBackIdentical(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        let chain = Fixtures.chain(count: 3)
        for fixture in chain { try store.commit(fixture) }

        #expect(try store.latestHeight == 3)
        for fixture in chain {
            let stored = try #require(try store.block(at: fixture.block.header.height))
            #expect(stored.block == fixture.block)
            #expect(stored.certificate == fixture.certificate)
            #expect(
                stored.certificate.problem(
                    chainID: Fixtures.chainID, header: stored.header,
                    validators: Fixtures.validators) == nil)
            let raw = try #require(try store.rawBlock(at: fixture.block.header.height))
            #expect(raw.hash == fixture.block.hash.bytes)
            #expect(raw.header == fixture.block.header.canonicalBytes)
            #expect(raw.body == fixture.block.encodedBody)
            #expect(raw.certificate == fixture.certificate.canonicalBytes)
        }
        #expect(try store.block(at: 4) == nil)
    }

    @Test(arguments: StoreKind.underTest) func transactionsAreFoundByHash(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        let chain = Fixtures.chain(count: 2)
        for fixture in chain { try store.commit(fixture) }

        let fixture = chain[1]
        for (position, transaction) in fixture.block.transactions.enumerated() {
            let stored = try #require(try store.transaction(hash: transaction.hash))
            #expect(stored.transaction == transaction)
            #expect(stored.transaction.hasValidSignature)
            #expect(stored.receipt == fixture.receipts[position])
            #expect(stored.height == 2)
            #expect(stored.position == position)
        }
        #expect(try store.transaction(hash: Hash256.of([9, 9, 9])) == nil)
    }

    @Test(arguments: StoreKind.underTest) func stateIsSortedAndFollowsChangesInOrder(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        let first = Fixtures.chain(count: 1)[0]
        let changes = [
            StateChange(key: [2], value: [20]), StateChange(key: [1], value: [10]),
            StateChange(key: [1, 0], value: []), StateChange(key: [3], value: [30]),
        ]
        try store.commit(first.block, certificate: first.certificate, receipts: first.receipts, stateChanges: changes)
        #expect(try store.allState().map(\.key) == [[1], [1, 0], [2], [3]])

        let next = Fixtures.block(height: 2, previous: first.block.hash, lastCommit: first.certificate)
        let updates = [
            StateChange(key: [2], value: nil), StateChange(key: [3], value: [31]),
            StateChange(key: [4], value: [40]), StateChange(key: [4], value: nil),
        ]
        try store.commit(next.block, certificate: next.certificate, receipts: next.receipts, stateChanges: updates)
        let state = try store.allState()
        #expect(state.map(\.key) == [[1], [1, 0], [3]])
        #expect(state.map(\.value) == [[10], [], [31]])
        #expect(try store.stateValue(forKey: [3]) == [31])
        #expect(try store.stateValue(forKey: [2]) == nil)
    }

    @Test(arguments: StoreKind.underTest) func reopeningKeepsHeightStateAndGenesis(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let chain = Fixtures.chain(count: 2)
        let stateBefore: [(key: [UInt8], value: [UInt8])]
        do {
            let store = try harness.open()
            try store.saveGenesis(Fixtures.genesis)
            for fixture in chain { try store.commit(fixture) }
            stateBefore = try store.allState()
        }
        let reopened = try harness.open()
        #expect(try reopened.latestHeight == 2)
        #expect(try reopened.loadGenesis() == Fixtures.genesis)
        let stateAfter = try reopened.allState()
        #expect(stateAfter.map(\.key) == stateBefore.map(\.key))
        #expect(stateAfter.map(\.value) == stateBefore.map(\.value))
        #expect(stateAfter.count == 4)
        #expect(try reopened.block(at: 2)?.block == chain[1].block)
    }

    @Test(arguments: StoreKind.underTest) func genesisIsSavedOnce(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        #expect(try store.loadGenesis() == nil)
        try store.saveGenesis(Fixtures.genesis)
        try store.saveGenesis(Fixtures.genesis)  // the same one again is fine
        let other = Genesis(
            chainID: "another-chain", genesisTime: Fixtures.genesisTime,
            validators: [Fixtures.validator], organizations: [])
        let error = #expect(throws: StorageError.self) { try store.saveGenesis(other) }
        #expect(error?.kind == .invalidState)
        #expect(try store.loadGenesis() == Fixtures.genesis)
    }

    @Test(arguments: StoreKind.underTest) func failedCommitLeavesNothingHalfWritten(_ kind: StoreKind) throws {
        let harness = try StoreUnderTest(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let store = try harness.open()
        let first = Fixtures.chain(count: 1)[0]
        try store.commit(first)
        let stateBefore = try store.allState().map(\.key)

        // Block 2 repeats its own first transaction after two new ones: the blocks row and
        // two transaction rows are written before the repeated hash is refused (by
        // PostgreSQL's primary key on the hash, by SQLite's commit before it indexes the
        // block), and all of it must be rolled back.
        let good = Fixtures.block(height: 2, previous: first.block.hash, lastCommit: first.certificate)
        let repeated = (good.block.transactions[0], good.receipts[0])
        let bad = Fixtures.block(
            height: 2, previous: first.block.hash, lastCommit: first.certificate, extra: [repeated])
        let error = #expect(throws: StorageError.self) { try store.commit(bad) }
        #expect(error?.kind == .constraint)
        #expect(error?.message.contains("INSERT INTO transactions") == true)

        #expect(try store.latestHeight == 1)
        #expect(try store.block(at: 2) == nil)
        #expect(try store.transaction(hash: bad.block.transactions[0].hash) == nil)
        #expect(try store.allState().map(\.key) == stateBefore)
        let newPatient = Fixtures.patientKeys(height: 2, index: 0).identityID
        #expect(try store.events(subject: newPatient.hash.bytes, limit: 10).isEmpty)

        // Nothing left behind blocks a correct block 2.
        try store.commit(Fixtures.block(height: 2, previous: first.block.hash, lastCommit: first.certificate))
        #expect(try store.latestHeight == 2)
        #expect(try store.allState().count == stateBefore.count + 2, "block 2's new keys are stored")
        #expect(try store.events(subject: newPatient.hash.bytes, limit: 10).count == 1)
    }
}
