import Foundation
import Testing
import MedLedgerCore

/// Receipts hold codes and structured facts only: no field of a receipt can carry free text.
@Suite struct ReceiptFactTests {
    static let patient = T.keys("fact-patient").identityID
    static let org = T.keys("fact-org").identityID

    /// One fact of every kind, in tag order. `everyDecodableTagIsInTheSample` fails when a
    /// kind is added without being added here, so the free-text check below sees it.
    static let everyKind: [ReceiptFact] = [
        .field(.contentEnvelopes), .problem(.missingEntry), .identity(patient), .organization(org),
        .kind(.practitioner), .role(.approver), .report(T.id(1)), .version(2), .latestVersion(3),
        .status(.preliminary), .grant(T.grantID(2)), .purpose(.research), .nonce(5), .lastNonce(7),
        .limit(1 << 20), .time(ConsensusTime(milliseconds: 1_767_225_600_000)), .caseID(T.caseID(3)),
    ]

    static var fullReceipt: TransactionReceipt {
        TransactionReceipt(
            code: .noActiveGrant, facts: everyKind,
            events: [
                .identityRegistered(identity: patient, kind: .patient, organization: nil),
                .identityUpdated(identity: org),
                .report(
                    report: T.id(1), version: 1, patient: patient, action: .submitted, status: .final, organization: org
                ),
                .grantChanged(grant: T.grantID(2), patient: patient, grantee: org, active: true),
                .access(
                    report: T.id(1), version: 1, patient: patient, reader: org, purpose: .treatment,
                    basis: .relationship, organization: nil),
                .access(
                    report: T.id(1), version: 1, patient: patient, reader: org, purpose: .treatment,
                    basis: .grant(T.grantID(2)), organization: org),
                .access(
                    report: T.id(1), version: 1, patient: patient, reader: org, purpose: .legal,
                    basis: .denied(.noActiveGrant), organization: org),
            ])
    }

    @Test func sampleHasEveryKindOnceInTagOrder() {
        #expect(Self.everyKind.map(\.tag) == Array(1...UInt8(Self.everyKind.count)))
        #expect(Set(Self.everyKind.map(\.name)).count == Self.everyKind.count)
    }

    /// Every tag the decoder accepts (probed with all-zero and all-one payloads, so a
    /// length-prefixed string of length 0 would be found too) is in the sample.
    @Test func everyDecodableTagIsInTheSample() {
        var accepted = Set<UInt8>()
        for tag in UInt8.min...UInt8.max {
            for filler: UInt8 in [0, 1] {
                var decoder = CanonicalDecoder([tag] + [UInt8](repeating: filler, count: 64))
                if (try? ReceiptFact(from: &decoder)) != nil { accepted.insert(tag) }
            }
        }
        #expect(accepted == Set(Self.everyKind.map(\.tag)))
    }

    /// Walks everything reachable from a receipt with every fact and event kind: no string,
    /// no character, no `Data`, and byte arrays only of the fixed id sizes. Adding a `String`
    /// (or free-length bytes) anywhere in a receipt makes this fail.
    @Test func noReceiptFieldHoldsFreeText() {
        let receipt = Self.fullReceipt
        let problems = Self.freeText(in: receipt, "receipt")
        #expect(problems.isEmpty, "\(problems)")
        // The walk reaches what a receipt holds (it is not vacuous) ...
        #expect(Mirror(reflecting: receipt).children.map(\.label) == ["code", "facts", "events"])
        // ... and would catch text or free bytes inside an enum payload or a struct.
        enum WithText {
            case note(String)
            case blob(id: ReportID, bytes: [UInt8])
        }
        #expect(Self.freeText(in: [WithText.note("free")], "x").count == 1)
        #expect(Self.freeText(in: WithText.blob(id: T.id(1), bytes: [1, 2, 3]), "x").count == 1)
        #expect(Self.freeText(in: TransactionReceipt.rejected(.invalidField, [.report(T.id(1))]), "x").isEmpty)
    }

    /// Paths to every string, character, `Data` or byte array not of a fixed id size
    /// reachable from `value`.
    static func freeText(in value: Any, _ root: String) -> [String] {
        var problems: [String] = []
        func walk(_ value: Any, _ path: String, depth: Int) {
            guard depth < 32 else {
                problems.append("\(path): too deep")
                return
            }
            switch value {
            case is String, is Substring, is Character, is Unicode.Scalar:
                problems.append("\(path): text \(value)")
                return
            case is Data:
                problems.append("\(path): free bytes")
                return
            // An empty array of anything casts to [UInt8]: match the dynamic type itself.
            case let bytes as [UInt8] where type(of: value) == [UInt8].self:
                if bytes.count != ReportID.byteCount && bytes.count != Hash256.byteCount {
                    problems.append("\(path): \(bytes.count) free bytes")
                }
                return
            default: break
            }
            for (index, child) in Mirror(reflecting: value).children.enumerated() {
                walk(child.value, "\(path).\(child.label ?? String(index))", depth: depth + 1)
            }
        }
        walk(value, root, depth: 0)
        return problems
    }

    @Test func receiptWithEveryKindRoundTrips() throws {
        let receipt = Self.fullReceipt
        #expect(try TransactionReceipt.decode(canonical: receipt.canonicalBytes) == receipt)
        for fact in Self.everyKind {
            #expect(try ReceiptFact.decode(canonical: fact.canonicalBytes) == fact)
            #expect(fact.canonicalBytes.first == fact.tag)
        }
    }

    /// A receipt in the old layout (a length-prefixed sentence after the code) is refused:
    /// its length reads as a fact count, and its first letter as an unknown fact tag.
    @Test func receiptWithASentenceIsRefused() {
        let old = T.be(204, 2) + T.str("denied") + T.be(0, 4)
        #expect(throws: CanonicalDecodingError(field: "fact", reason: "unknown tag 100")) {
            try TransactionReceipt.decode(canonical: old)
        }
    }

    @Test func unknownFactTagsAreRefused() {
        for tag: UInt8 in [0, 17, 255] {
            let bytes = T.be(401, 2) + T.be(1, 4) + [tag] + T.be(0, 8) + T.be(0, 4)
            #expect(throws: CanonicalDecodingError.self) { try TransactionReceipt.decode(canonical: bytes) }
        }
        // Known tag, unknown enum value inside it.
        let badField = T.be(401, 2) + T.be(1, 4) + [1, 0xff] + T.be(0, 4)
        #expect(throws: CanonicalDecodingError(field: "receiptField", reason: "unknown tag 255")) {
            try TransactionReceipt.decode(canonical: badField)
        }
    }

    @Test func factCountIsBounded() {
        let tooMany = UInt64(Limits.receiptFactsMaxCount + 1)
        let bytes =
            T.be(103, 2) + T.be(tooMany, 4) + Array(repeating: [13] + T.be(1, 8), count: Int(tooMany)).flatMap { $0 }
            + T.be(0, 4)
        #expect(
            throws: CanonicalDecodingError(
                field: "facts", reason: "count \(tooMany) exceeds limit \(Limits.receiptFactsMaxCount)")
        ) {
            try TransactionReceipt.decode(canonical: bytes)
        }
        // A hostile count is refused before anything is allocated for it.
        #expect(throws: CanonicalDecodingError.self) {
            try TransactionReceipt.decode(canonical: T.be(103, 2) + T.be(UInt64(UInt32.max), 4))
        }
    }
}
