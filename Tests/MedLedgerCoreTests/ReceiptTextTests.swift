import Testing
import MedLedgerCore

/// Sentences are rendered from codes, facts and events at the edge; every code has one.
@Suite struct ReceiptTextTests {
    @Test func everyKnownCodeHasItsOwnNameAndSentence() {
        var summaries = Set<String>()
        for code in ResultCode.allKnown {
            #expect(code.name != "code-\(code.rawValue)", "\(code.rawValue) has no name")
            let summary = ReceiptText.summary(of: code)
            #expect(!summary.isEmpty && !summary.hasPrefix("Refused with result code"), "\(code) has no summary")
            #expect(summaries.insert(summary).inserted, "\(code) shares its summary with another code")
            for receipt in [
                TransactionReceipt(code: code), TransactionReceipt(code: code, facts: ReceiptFactTests.everyKind),
            ] {
                let sentence = receipt.sentence
                #expect(sentence.hasPrefix(summary) && sentence.hasSuffix("."), "\(code): \(sentence)")
                #expect(!sentence.contains("  ") && !sentence.contains(".."), "\(code): \(sentence)")
            }
        }
        #expect(ResultCode.allKnown.map(\.rawValue) == ResultCode.allKnown.map(\.rawValue).sorted())
        #expect(Set(ResultCode.allKnown).count == ResultCode.allKnown.count)
    }

    /// The list of known codes is complete: no other number below 1000 has a name.
    @Test func allKnownListsEveryNamedCode() {
        let named = (0..<1_000).map { ResultCode(rawValue: UInt16($0)) }.filter { $0.name != "code-\($0.rawValue)" }
        #expect(named == ResultCode.allKnown)
    }

    @Test func unknownCodeStillGetsASentence() {
        let sentence = TransactionReceipt(code: ResultCode(rawValue: 999), facts: [.nonce(3)]).sentence
        #expect(sentence == "Refused with result code 999: nonce 3.")
    }

    @Test func everyFactAndEventRendersToWords() {
        for fact in ReceiptFactTests.everyKind {
            #expect(!ReceiptText.phrase(of: fact).isEmpty)
        }
        for problem in FieldProblem.allCases { #expect(!ReceiptText.phrase(of: problem).isEmpty) }
        let receipt = ReceiptFactTests.fullReceipt
        let accepted = TransactionReceipt.accepted(receipt.events)
        #expect(accepted.sentence.hasPrefix("Accepted: "))
        for event in receipt.events {
            let phrase = ReceiptText.phrase(of: event)
            #expect(!phrase.isEmpty && accepted.sentence.contains(phrase))
        }
        #expect(TransactionReceipt(code: .ok).sentence == "Accepted.")
    }

    @Test func sentencesReadAsBefore() {
        let id = ReceiptFactTests.patient
        #expect(
            TransactionReceipt.rejected(.staleNonce, [.nonce(5), .lastNonce(7)]).sentence
                == "The nonce is not above the signer's last used nonce: nonce 5, last nonce 7.")
        #expect(
            TransactionReceipt.rejected(.invalidField, [.field(.recipients), .problem(.duplicate)]).sentence
                == "A field of the transaction is invalid: field recipients has duplicate entries.")
        #expect(
            TransactionReceipt.rejected(
                .unknownIdentity,
                [
                    .field(.grantee), .identity(id), .kind(.practitioner),
                    .kind(.organization),
                ]
            ).sentence
                == "An identity the transaction names is not registered as a kind allowed there: field grantee, "
                + "identity \(id.hex), kind practitioner or organization.")
        #expect(
            TransactionReceipt.rejected(.missingRole, [.role(.author), .role(.approver), .organization(id)]).sentence
                == "The signer lacks a role this action needs: role author or approver, organization \(id.hex).")
        let submitted = TransactionReceipt.accepted([
            .report(
                report: T.id(1), version: 1, patient: id, action: .submitted,
                status: .preliminary, organization: id)
        ])
        #expect(submitted.sentence == "Accepted: report \(T.id(1).hex) version 1 submitted, now preliminary.")
    }

    /// Rendering is at the edge: the same receipt bytes whatever the sentence says.
    @Test func sentenceIsNotPartOfTheReceipt() throws {
        let receipt = TransactionReceipt.rejected(.staleNonce, [.nonce(5), .lastNonce(7)])
        #expect(
            receipt.canonicalBytes == T.be(103, 2) + T.be(2, 4) + [13] + T.be(5, 8) + [14] + T.be(7, 8) + T.be(0, 4))
        #expect(!Hex.encode(receipt.canonicalBytes).contains(Hex.encode(Array("nonce".utf8))))
    }
}
