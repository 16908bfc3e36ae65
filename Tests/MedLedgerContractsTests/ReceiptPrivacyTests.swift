import Testing
import MedLedgerCore
import MedLedgerContracts

/// Receipts are public: their messages and events may name only pseudonymous ids, codes and
/// enum names, never report content (which exists on the ledger only as ciphertext).
@Suite
struct ReceiptPrivacyTests {
    @Test func receiptsHoldOnlyIdsAndCodes() throws {
        var cast = Cast()
        var receipts: [TransactionReceipt] = []
        let r1 = Ledger.reportID(1), g1 = Ledger.grantID(1)
        receipts.append(cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA, recipients: [cast.readerB.id]))
        receipts.append(cast.ledger.approve(r1, by: cast.approverA))
        receipts.append(cast.ledger.read(r1, by: cast.readerB))
        receipts.append(cast.ledger.read(r1, by: cast.authorB, purpose: .research))
        receipts.append(cast.ledger.grant(g1, patient: cast.patient, to: cast.authorB.id, purpose: .research))
        receipts.append(cast.ledger.apply(cast.patient, .revokeGrant(RevokeGrant(grant: g1))))
        receipts.append(cast.ledger.apply(cast.seniorA, .reviseReport(ReviseReport(
            report: r1, previousVersion: 1, kind: .correct, reason: .clericalError,
            content: cast.ledger.content(patient: cast.patient.id, author: cast.seniorA.id, tag: "v2")))))
        receipts.append(cast.ledger.apply(cast.authorA, .markEnteredInError(MarkEnteredInError(report: r1, reason: .wrongPatient))))

        let parties = [cast.authorA, cast.approverA, cast.seniorA, cast.readerA, cast.adminA, cast.approverB, cast.readerB,
                       cast.authorB, cast.patient, cast.otherPatient, cast.ledger.orgA, cast.ledger.orgB, cast.ledger.orgC,
                       cast.ledger.validator]
        var known = Set(parties.map { $0.id.hash.bytes })
        known.insert(r1.bytes)
        known.insert(g1.bytes)
        known.insert(ContractEngine.distributionGrantID(report: r1, recipient: cast.readerB.id).bytes)
        let knownHex = Set(known.map { Hex.encode($0) })

        let content = cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id)
        let secrets = [Hex.encode(content.encryptedMetadata), content.contentAddress.hex, content.commitment.hex, "sealed",
                       "ciphertext"]
        for receipt in receipts {
            #expect(receipt.code == .ok || receipt.code == .noActiveGrant, "\(receipt.message)")
            for event in receipt.events {
                for id in event.ids { #expect(known.contains(id)) }
            }
            // Every hex-looking token in a message is a known id.
            let tokens = receipt.message.split { !$0.isLetter && !$0.isNumber && $0 != "-" }
            for token in tokens where token.count >= 32 {
                #expect(knownHex.contains(String(token)), "unexpected token \(token) in \(receipt.message)")
            }
            for secret in secrets { #expect(!receipt.message.contains(secret)) }
            #expect(receipt.message.utf8.count <= 1_024)
            // The metadata ciphertext never reaches the receipt bytes.
            let bytes = receipt.canonicalBytes
            #expect(!Hex.encode(bytes).contains(Hex.encode(content.encryptedMetadata)))
            #expect(!Hex.encode(bytes).contains(content.contentAddress.hex))
            #expect(try TransactionReceipt.decode(canonical: bytes) == receipt)
        }
    }
}
