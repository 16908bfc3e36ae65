import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import Testing

/// The conversions from ledger values into the generated schema types.
@Suite struct SchemaConversionTests {
    /// Facts a client may read as numbers are JSON integers while they fit; a refused
    /// transaction's own nonce can be anything, and above 2^63 - 1 it is a decimal string
    /// instead of a trap.
    @Test(arguments: [UInt64(0), 7, UInt64(Int64.max), UInt64(Int64.max) + 1, .max])
    func numberFactsAreIntegersOrDecimalStrings(nonce: UInt64) throws {
        let fact = Components.Schemas.ReceiptFact(.nonce(Nonce(nonce)))
        #expect(fact._type == .nonce)
        if nonce <= UInt64(Int64.max) {
            #expect(fact.value == .case2(Int(nonce)))
        } else {
            #expect(fact.value == .case1(String(nonce)))
        }
        let json = String(decoding: try JSONEncoder().encode(fact), as: UTF8.self)
        #expect(json.contains(nonce <= UInt64(Int64.max) ? ":\(nonce)" : ":\"\(nonce)\""))
    }

    /// Every fact kind gets the document's name for it, the one `ReceiptFact.name` gives.
    @Test func everyFactKindHasItsDocumentedName() {
        let id = IdentityID(hex: String(repeating: "01", count: 32))!
        let facts: [ReceiptFact] = [
            .field(.patient), .problem(.duplicate), .identity(id), .organization(id), .kind(.patient), .role(.author),
            .report(ReportID(hex: String(repeating: "02", count: 16))!), .version(ReportVersion(1)),
            .latestVersion(ReportVersion(2)), .status(.final),
            .grant(GrantID(hex: String(repeating: "03", count: 16))!),
            .purpose(.treatment), .nonce(Nonce(4)), .lastNonce(Nonce(3)), .limit(9),
            .time(ConsensusTime(milliseconds: 1_800_000_000_000)),
            .caseID(CaseID(hex: String(repeating: "04", count: 16))!),
        ]
        for fact in facts {
            #expect(Components.Schemas.ReceiptFact(fact)._type.rawValue == fact.name)
        }
        #expect(Set(facts.map(\.name)).count == Components.Schemas.ReceiptFact._TypePayload.allCases.count)
    }

    /// Ledger counters never trap on the way into a JSON integer.
    @Test func ledgerCountersSaturateInsteadOfTrapping() {
        #expect(Int(ledger: 42) == 42)
        #expect(Int(ledger: .max) == .max)
        #expect(UInt64(json: -1) == nil)
        #expect(UInt64(json: 5) == 5)
    }
}
