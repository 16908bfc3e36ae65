import Testing
import MedLedgerCore
import MedLedgerContracts

/// Receipts are public: their facts and events may name only pseudonymous ids, codes and
/// enum values, never report content (which exists on the ledger only as ciphertext). A
/// receipt holds no text (see `ReceiptFactTests.noReceiptFieldHoldsFreeText`); the sentence
/// rendered from it must not reveal more than its facts either.
@Suite
struct ReceiptPrivacyTests {
    @Test func receiptsHoldOnlyIdsAndCodes() throws {
        var cast = Cast()
        var receipts: [TransactionReceipt] = []
        let r1 = Ledger.reportID(1)
        let g1 = Ledger.grantID(1)
        receipts.append(
            cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA, recipients: [cast.readerB.id]))
        receipts.append(cast.ledger.approve(r1, by: cast.approverA))
        receipts.append(cast.ledger.read(r1, by: cast.readerB))
        receipts.append(cast.ledger.read(r1, by: cast.authorB, purpose: .research))
        receipts.append(cast.ledger.grant(g1, patient: cast.patient, to: cast.authorB.id, purpose: .research))
        receipts.append(cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: g1))))
        receipts.append(
            cast.ledger.apply(
                cast.seniorA,
                .reviseReport(
                    ReviseReport(
                        report: r1, previousVersion: 1, kind: .correct, reason: .clericalError,
                        content: cast.ledger.content(patient: cast.patient.id, author: cast.seniorA.id, tag: "v2")))))
        receipts.append(
            cast.ledger.apply(cast.authorA, .markEnteredInError(MarkEnteredInError(report: r1, reason: .wrongPatient))))
        // Refusals with facts: a missing role (naming the organization), a status that allows no
        // approval, an unregistered grantee.
        receipts.append(cast.ledger.apply(cast.readerB, .approveReport(ApproveReport(report: r1, version: 1))))
        receipts.append(cast.ledger.apply(cast.approverA, .approveReport(ApproveReport(report: r1, version: 2))))
        receipts.append(
            cast.ledger.apply(
                cast.patient,
                .grantAccess(
                    GrantAccess(
                        grant: Ledger.grantID(2), patient: cast.patient.id, grantee: cast.otherPatient.id,
                        scope: .allReports,
                        purpose: .treatment, validFrom: nil, validUntil: nil))))

        let parties = [
            cast.authorA, cast.approverA, cast.seniorA, cast.readerA, cast.adminA, cast.approverB, cast.readerB,
            cast.authorB, cast.patient, cast.otherPatient, cast.ledger.orgA, cast.ledger.orgB, cast.ledger.orgC,
            cast.ledger.validator,
        ]
        var known = Set(parties.map { $0.id.hash.bytes })
        known.insert(r1.bytes)
        known.insert(g1.bytes)
        known.insert(ContractEngine.distributionGrantID(report: r1, recipient: cast.readerB.id).bytes)
        let knownHex = Set(known.map { Hex.encode($0) })

        let content = cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id)
        let secrets = [
            Hex.encode(content.encryptedMetadata), content.contentAddress.hex, content.commitment.hex, "sealed",
            "ciphertext",
        ]
        #expect(
            receipts.map(\.code) == [
                .ok, .ok, .ok, .noActiveGrant, .ok, .ok, .ok, .ok,
                .missingRole, .invalidStatusTransition, .unknownIdentity,
            ])
        #expect(receipts[8].facts == [.role(.approver), .organization(cast.ledger.orgA.id)])
        #expect(
            receipts[10].facts == [
                .field(.grantee), .identity(cast.otherPatient.id), .kind(.practitioner),
                .kind(.organization),
            ])
        for receipt in receipts {
            for event in receipt.events {
                for id in event.ids { #expect(known.contains(id)) }
            }
            for fact in receipt.facts {
                switch fact {
                case .identity(let id), .organization(let id): #expect(known.contains(id.hash.bytes))
                case .report(let id): #expect(known.contains(id.bytes))
                case .grant(let id): #expect(known.contains(id.bytes))
                default: break
                }
            }
            // Every hex-looking token in the rendered sentence is a known id.
            let sentence = receipt.sentence
            let tokens = sentence.split { !$0.isLetter && !$0.isNumber && $0 != "-" }
            for token in tokens where token.count >= 32 {
                #expect(knownHex.contains(String(token)), "unexpected token \(token) in \(sentence)")
            }
            for secret in secrets { #expect(!sentence.contains(secret)) }
            // The metadata ciphertext never reaches the receipt bytes.
            let bytes = receipt.canonicalBytes
            #expect(!Hex.encode(bytes).contains(Hex.encode(content.encryptedMetadata)))
            #expect(!Hex.encode(bytes).contains(content.contentAddress.hex))
            #expect(try TransactionReceipt.decode(canonical: bytes) == receipt)
        }
    }
}
