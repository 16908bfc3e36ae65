import MedLedgerCore
import MedLedgerStorage
import Testing

/// Damage written behind the store's back, through a second connection, must come back as
/// a `StorageError` that names the table and row, never as a crash or a wrong value. Part of
/// the storage conformance suite: each test runs against SQLite and PostgreSQL.
@Suite struct LedgerStoreCorruptionTests {
    let chain = Fixtures.chain(count: 2)

    /// A store of `kind` holding the genesis and `chain`.
    func prepared(_ kind: StoreKind) throws -> (StoreUnderTest, any LedgerDatabase) {
        let harness = try StoreUnderTest(kind)
        let store = try harness.open()
        try store.saveGenesis(Fixtures.genesis)
        for fixture in chain { try store.commit(fixture) }
        return (harness, store)
    }

    @Test(arguments: StoreKind.underTest) func corruptHeaderNamesTheHeight(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE blocks SET header = ? WHERE height = 2", [.blob([0, 1, 2, 3])])
        let error = #expect(throws: StorageError.self) { try store.block(at: 2) }
        #expect(error?.kind == .corruptData)
        #expect(error?.message.contains("blocks row height 2") == true)
        #expect(error?.message.contains("header") == true)
        #expect(try store.block(at: 1)?.block == chain[0].block)
    }

    @Test(arguments: StoreKind.underTest) func headerOfAnotherBlockIsCaught(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper(
            "UPDATE blocks SET header = ? WHERE height = 2", [.blob(chain[0].block.header.canonicalBytes)])
        let error = #expect(throws: StorageError.self) { try store.block(at: 2) }
        #expect(error?.message.contains("height 2") == true)
    }

    /// In SQLite the column then holds text, not a blob; in PostgreSQL (typed columns) the
    /// bytes of "text", which do not decode. Either way the row is named.
    @Test(arguments: StoreKind.underTest) func wrongColumnTypeIsCaught(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE blocks SET certificate = 'text' WHERE height = 1")
        let error = #expect(throws: StorageError.self) { try store.block(at: 1) }
        #expect(error?.message.contains("blocks row height 1: certificate") == true)
    }

    @Test(arguments: StoreKind.underTest) func corruptBodyAndReceiptAreCaught(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        let transaction = chain[0].block.transactions[0]
        try harness.tamper(
            "UPDATE transactions SET receipt = ? WHERE hash = ?", [.blob([0xff]), .blob(transaction.hash.bytes)])
        let receiptError = #expect(throws: StorageError.self) { try store.transaction(hash: transaction.hash) }
        #expect(receiptError?.message.contains("transactions row hash \(transaction.hash.hex)") == true)

        try harness.tamper("UPDATE blocks SET body = ? WHERE height = 2", [.blob([0, 0, 0, 9])])
        let bodyError = #expect(throws: StorageError.self) { try store.block(at: 2) }
        #expect(bodyError?.message.contains("blocks row height 2: body") == true)
        let lookupError = #expect(throws: StorageError.self) {
            try store.transaction(hash: chain[1].block.transactions[0].hash)
        }
        #expect(lookupError?.message.contains("height 2") == true)
    }

    @Test(arguments: StoreKind.underTest) func corruptEventIsCaught(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE events SET event = ? WHERE height = 2", [.blob([99])])
        let subject = chain[1].receipts[0].events[0].subjects[0]
        let error = #expect(throws: StorageError.self) { try store.events(subject: subject, limit: 5) }
        #expect(error?.message.contains("events row height 2") == true)
    }

    @Test(arguments: StoreKind.underTest) func corruptGenesisIsCaught(_ kind: StoreKind) throws {
        let (harness, store) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE meta SET value = ? WHERE key = 'genesis'", [.blob([1, 2, 3])])
        let error = #expect(throws: StorageError.self) { try store.loadGenesis() }
        #expect(error?.message.contains("meta row key 'genesis'") == true)
    }

    @Test(arguments: StoreKind.underTest) func heightThatDisagreesWithBlocksFailsOpen(_ kind: StoreKind) throws {
        let (harness, _) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE meta SET value = ? WHERE key = 'height'", [.blob(UInt64(5).canonicalBytes)])
        let error = #expect(throws: StorageError.self) { try harness.open() }
        #expect(error?.kind == .corruptData)
        #expect(error?.message.contains("meta row key 'height'") == true)
    }

    @Test(arguments: StoreKind.underTest) func unknownSchemaVersionFailsOpen(_ kind: StoreKind) throws {
        let (harness, _) = try prepared(kind)
        defer { withExtendedLifetime(harness) {} }  // keeps its directory or schema until the end
        try harness.tamper("UPDATE meta SET value = ? WHERE key = 'schema_version'", [.blob(UInt64(99).canonicalBytes)])
        let error = #expect(throws: StorageError.self) { try harness.open() }
        #expect(error?.kind == .invalidState)
        #expect(error?.message.contains("schema version 99") == true)
    }
}
