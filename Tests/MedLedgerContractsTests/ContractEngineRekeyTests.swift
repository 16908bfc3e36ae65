import MedLedgerContracts
import MedLedgerCore
import Testing

/// Issue 8.7: the patient re-encrypts the latest version under a fresh key; the plaintext
/// commitment, the size, the status and the approvals stay.
@Suite struct ContractEngineRekeyTests {
    let report = Ledger.reportID(1)

    /// A submitted and approved report, and a fresh content for it that keeps commitment and
    /// size (what a re-keying client seals).
    func setUp() -> (Cast, ReportContent, ReportContent) {
        var cast = Cast()
        #expect(cast.ledger.submit(report, patient: cast.patient, author: cast.authorA).code == .ok)
        #expect(cast.ledger.approve(report, by: cast.approverA).code == .ok)
        let old = cast.ledger.state.report(report)!.latest.content
        let fresh = cast.ledger.content(patient: cast.patient.id, author: cast.authorA.id, tag: "rekeyed")
        let rekeyed = ReportContent(
            contentAddress: fresh.contentAddress, sizeBytes: old.sizeBytes, commitment: old.commitment,
            encryptedMetadata: fresh.encryptedMetadata, envelopes: fresh.envelopes,
            shareCommitments: fresh.shareCommitments)
        return (cast, old, rekeyed)
    }

    func rekey(_ content: ReportContent, previous: Hash256, version: ReportVersion = 1) -> TransactionPayload {
        .rekeyReport(RekeyReport(report: report, version: version, previousContentAddress: previous, content: content))
    }

    @Test func thePatientRekeysAndOnlyTheContentChanges() {
        var (cast, old, rekeyed) = setUp()
        let before = cast.ledger.state.report(report)!.latest
        let receipt = cast.ledger.apply(cast.patient, rekey(rekeyed, previous: old.contentAddress))
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .report(
                    report: report, version: 1, patient: cast.patient.id, action: .rekeyed, status: .final,
                    organization: cast.ledger.orgA.id)
            ])
        let after = cast.ledger.state.report(report)!.latest
        #expect(after.content == rekeyed)
        #expect(after.status == before.status && after.approvals == before.approvals)
        #expect(after.author == before.author && after.submittedAt == before.submittedAt)
        #expect(cast.ledger.state.report(report)!.versions.count == 1)
    }

    @Test func onlyThePatientOrAGuardianMayRekey() {
        var (cast, old, rekeyed) = setUp()
        for stranger in [cast.authorA, cast.approverA, cast.otherPatient] {
            let receipt = cast.ledger.apply(stranger, rekey(rekeyed, previous: old.contentAddress))
            #expect(receipt.code == .notPatientOrGuardian)
        }
        #expect(cast.ledger.state.report(report)!.latest.content == old)
    }

    @Test func aRekeyingThatWouldAlterTheReportOrRaceIsRefused() {
        var (cast, old, rekeyed) = setUp()
        let changedCommitment = ReportContent(
            contentAddress: rekeyed.contentAddress, sizeBytes: rekeyed.sizeBytes,
            commitment: Hash256.of(Array("another plaintext".utf8)), encryptedMetadata: rekeyed.encryptedMetadata,
            envelopes: rekeyed.envelopes, shareCommitments: rekeyed.shareCommitments)
        let changedSize = ReportContent(
            contentAddress: rekeyed.contentAddress, sizeBytes: rekeyed.sizeBytes + 1, commitment: rekeyed.commitment,
            encryptedMetadata: rekeyed.encryptedMetadata, envelopes: rekeyed.envelopes,
            shareCommitments: rekeyed.shareCommitments)
        let sameBlob = ReportContent(
            contentAddress: old.contentAddress, sizeBytes: old.sizeBytes, commitment: old.commitment,
            encryptedMetadata: rekeyed.encryptedMetadata, envelopes: rekeyed.envelopes,
            shareCommitments: rekeyed.shareCommitments)
        let noShares = ReportContent(
            contentAddress: rekeyed.contentAddress, sizeBytes: rekeyed.sizeBytes, commitment: rekeyed.commitment,
            encryptedMetadata: rekeyed.encryptedMetadata, envelopes: rekeyed.envelopes, shareCommitments: [])
        let cases: [(TransactionPayload, ResultCode, [ReceiptFact])] = [
            (
                rekey(changedCommitment, previous: old.contentAddress), .invalidField,
                [.field(.contentCommitment), .problem(.changed)]
            ),
            (
                rekey(changedSize, previous: old.contentAddress), .invalidField,
                [.field(.contentCommitment), .problem(.changed)]
            ),
            (
                rekey(sameBlob, previous: old.contentAddress), .invalidField,
                [.field(.contentAddress), .problem(.unchanged)]
            ),
            (
                rekey(rekeyed, previous: Hash256.of([9])), .invalidField,
                [.field(.previousContentAddress), .problem(.notCurrent)]
            ),
            (
                rekey(noShares, previous: old.contentAddress), .invalidField,
                [.field(.contentShareCommitments), .problem(.wrongCount), .limit(1)]
            ),
            (
                rekey(rekeyed, previous: old.contentAddress, version: 2), .staleVersion,
                [.field(.version), .version(2), .latestVersion(1)]
            ),
        ]
        for (payload, code, facts) in cases {
            let receipt = cast.ledger.apply(cast.patient, payload)
            #expect(receipt.code == code)
            #expect(receipt.facts == facts)
        }
        #expect(cast.ledger.state.report(report)!.latest.content == old)
    }
}
