import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

/// A patient's audit trail is read from the partial index `audit_trail_rows`, which holds
/// every column the export reads, so reading a trail is one index range and no search of
/// `events` per row. These check that SQLite's planner still agrees, which it does only
/// while the query repeats the index's condition word for word. (Other subjects are read
/// through their run index: `SortedRunIndexTests`.)
@Suite struct LedgerStoreAuditIndexTests {
    func plan(_ sql: String, subject: [UInt8]) throws -> String {
        let directory = try TemporaryDirectory()
        _ = try LedgerStore(dataDirectory: directory.url)
        let database = try SQLiteDatabase(path: directory.url.appendingPathComponent("ledger.sqlite").path)
        let rows = try database.query(
            "EXPLAIN QUERY PLAN \(sql)", [.blob(subject), .integer(9), .integer(0), .integer(0), .integer(10)])
        return rows.compactMap { $0.last?.text }.joined(separator: "; ")
    }

    @Test func anAuditTrailIsReadFromItsCoveringIndex() throws {
        let patient = IdentityKeys.deterministic(seed: "audited").identityID
        let subject = EventIndexKey.auditTrail(patient: patient)
        #expect(subject.first == 0xA1, "the index's condition names the audit-trail tag")
        let plan = try plan(LedgerStore.pageBeforeCursorSQL(subject: subject), subject: subject)
        #expect(plan.contains("USING COVERING INDEX audit_trail_rows"), "plan: \(plan)")
    }
}
