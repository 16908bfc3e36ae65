import Testing

@testable import MedLedgerCore

/// How many X-Wing custodians a report transaction holds (ADR 11), checked by building the
/// largest one there can be.
@Suite struct EnvelopeBudgetTests {
    static let xwingEnvelope = [UInt8](repeating: 1, count: 1_120)

    /// A `submit-report` with every field at its limit and `custodians` X-Wing share envelopes.
    static func largestSubmission(custodians: Int) -> Transaction {
        let keys = IdentityKeys.deterministic(seed: "budget")
        let ids = (0..<(custodians + 2)).map {
            IdentityID(signingKey: IdentityKeys.deterministic(seed: "c\($0)").publicSigningKey)
        }
        let content = ReportContent(
            contentAddress: Hash256.of([1]), sizeBytes: 1, commitment: Hash256.of([2]),
            encryptedMetadata: [UInt8](repeating: 3, count: Limits.encryptedMetadataMaxBytes),
            envelopes: ids.map {
                KeyEnvelope(recipient: $0, encapsulatedKey: xwingEnvelope, wrappedKey: .init(repeating: 2, count: 48))
            },
            shareCommitments: (0..<custodians).map { Hash256.of([UInt8(truncatingIfNeeded: $0)]) })
        let recipients = (0..<Limits.recipientsMaxCount).map {
            IdentityID(signingKey: IdentityKeys.deterministic(seed: "r\($0)").publicSigningKey)
        }
        return Transaction(
            chainID: String(repeating: "c", count: Limits.chainIDMaxBytes), signer: keys.identityID, keys: keys,
            nonce: 1,
            payload: .submitReport(
                SubmitReport(
                    report: ReportID(bytes: [UInt8](repeating: 4, count: 16))!, patient: ids[0],
                    category: Code(String(repeating: "L", count: Limits.codeMaxBytes))!, content: content,
                    recipients: recipients)))
    }

    @Test func theFormulaIsTheLargestTransactionsSize() {
        for custodians in [0, 1, 4, 46] {
            #expect(
                Self.largestSubmission(custodians: custodians).encoded.count
                    == EnvelopeBudget.largestReportBytes(custodians: .init(repeating: .xwing, count: custodians)))
        }
    }

    @Test func fortySixXWingCustodiansFitAndFortySevenDoNot() {
        #expect(EnvelopeBudget.xwingCustodiansMax == 46)
        #expect(Self.largestSubmission(custodians: 46).encoded.count <= Limits.transactionMaxBytes)
        #expect(Self.largestSubmission(custodians: 47).encoded.count > Limits.transactionMaxBytes)
        #expect(EnvelopeBudget.problem(custodians: .init(repeating: .xwing, count: 46)) == nil)
        #expect(EnvelopeBudget.problem(custodians: .init(repeating: .x25519, count: Limits.validatorsMaxCount)) == nil)
        let problem = EnvelopeBudget.problem(custodians: .init(repeating: .xwing, count: 47))
        #expect(problem?.contains("65536-byte limit") == true)
        #expect(problem?.contains("at most 46") == true)
    }

    @Test func aGenesisWithTooManyXWingValidatorsIsRefused() {
        let validators = (0..<47).map {
            let keys = IdentityKeys.deterministic(seed: "v\($0)", suite: .xwing)
            return Validator(
                name: "v\($0)", signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey, power: 1)
        }
        let time = ConsensusTime(milliseconds: 1)
        let refused = Genesis(chainID: "pq", genesisTime: time, validators: validators, organizations: [])
        #expect(refused.problem()?.hasPrefix("validators: 47 X-Wing") == true)
        let fits = Genesis(
            chainID: "pq", genesisTime: time, validators: Array(validators.prefix(46)), organizations: [])
        #expect(fits.problem() == nil)
        #expect((try? Genesis.decode(canonical: fits.canonicalBytes)) == fits)
    }
}
