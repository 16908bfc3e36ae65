import MedLedgerCore
import MedLedgerStorage
import Testing

/// Part of the storage conformance suite: the undecoded event reads of an audit-trail
/// export (`EventBytesReading`) give, on both stores, the rows and order of the decoded
/// pages, with each event's stored canonical bytes.
@Suite struct LedgerStoreEventBytesTests {
    /// The chain of `LedgerStoreEventTests`: the patient's events at 1.0.0, 2.1.0 and 2.1.1.
    let chain = LedgerStoreEventTests()

    @Test(arguments: StoreKind.underTest) func rowsAreTheDecodedPagesUndecoded(_ kind: StoreKind) throws {
        let (harness, store) = try chain.prepared(kind)
        defer { withExtendedLifetime(harness) {} }
        let subject = chain.patient.hash.bytes
        let everything = EventCursor(height: 3, position: 0, eventIndex: 0)
        let rows = try store.eventBytes(subject: subject, before: everything, limit: 10)
        let decoded = try store.events(subject: subject, limit: 10)
        #expect(rows.count == 3)
        #expect(try rows.map { try $0.decoded() } == decoded)
        #expect(rows.map(\.event) == decoded.map(\.event.canonicalBytes))
        #expect(rows.map(\.time) == decoded.map(\.time.milliseconds))
        // Strictly before the cursor, at most `limit`, and empty past the oldest.
        let page = try store.eventBytes(subject: subject, before: try #require(rows.first).cursor, limit: 1)
        #expect(page == [rows[1]])
        #expect(try store.eventBytes(subject: subject, before: rows[2].cursor, limit: 10).isEmpty)
        // Rows of later heights than the cursor's are not read.
        let atOne = EventCursor(height: 2, position: 0, eventIndex: 0)
        #expect(try store.eventBytes(subject: subject, before: atOne, limit: 10) == [rows[2]])
    }
}
