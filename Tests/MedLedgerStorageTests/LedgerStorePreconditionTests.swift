import MedLedgerCore
import MedLedgerStorage
import Testing

/// A commit that does not fit the chain is a node bug, not an I/O failure: the store stops
/// the process rather than store it. Exit tests run each body in a child process; the
/// message on standard error shows which precondition stopped it.
@Suite struct LedgerStorePreconditionTests {
    @Test func skippingAHeightStopsTheProcess() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let directory = try TemporaryDirectory()
            let store = try LedgerStore(dataDirectory: directory.url)
            try store.commit(Fixtures.chain(count: 2)[1])
        }
        let standardError = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(standardError.contains("commit of height 2 on top of height 0"))
    }

    @Test func missingReceiptStopsTheProcess() async throws {
        let result = await #expect(processExitsWith: .failure, observing: [\.standardErrorContent]) {
            let directory = try TemporaryDirectory()
            let store = try LedgerStore(dataDirectory: directory.url)
            let fixture = Fixtures.chain(count: 1)[0]
            try store.commit(
                fixture.block, certificate: fixture.certificate,
                receipts: Array(fixture.receipts.dropLast()), stateChanges: [])
        }
        let standardError = String(decoding: try #require(result).standardErrorContent, as: UTF8.self)
        #expect(standardError.contains("1 receipts for 2 transactions"))
    }
}
