import MedLedgerContracts
import MedLedgerCore
import Testing

/// The contracts refuse an envelope sealed in another suite than its recipient's key
/// (ADR 11): 401 on `content.envelopes`, problem `wrong-suite`, naming the recipient.
@Suite struct EnvelopeSuiteTests {
    let r1 = Ledger.reportID(1)

    @Test func anXWingPatientGetsAnXWingEnvelope() {
        var cast = Cast()
        let patient = cast.ledger.registerPatient("pq-patient", suite: .xwing)
        #expect(cast.ledger.state.identity(patient.id)?.encryptionKey.suite == .xwing)
        let receipt = cast.ledger.submit(r1, patient: patient, author: cast.authorA)
        #expect(receipt.code == .ok, "\(receipt.sentence)")
    }

    @Test func anEnvelopeOfTheWrongSuiteIsRefusedNamingTheRecipient() throws {
        var cast = Cast()
        let patient = cast.ledger.registerPatient("pq-patient", suite: .xwing)
        guard case .submitReport(let body) = cast.ledger.submitPayload(r1, patient: patient, author: cast.authorA)
        else {
            Issue.record("not a submission")
            return
        }
        // An X25519-sized envelope to the X-Wing patient, as an old client would seal.
        let envelopes = body.content.envelopes.map { envelope in
            envelope.recipient == patient.id
                ? KeyEnvelope(
                    recipient: patient.id, encapsulatedKey: [UInt8](repeating: 1, count: 32),
                    wrappedKey: envelope.wrappedKey)
                : envelope
        }
        let content = ReportContent(
            contentAddress: body.content.contentAddress, sizeBytes: body.content.sizeBytes,
            commitment: body.content.commitment, encryptedMetadata: body.content.encryptedMetadata,
            envelopes: envelopes, shareCommitments: body.content.shareCommitments)
        let receipt = cast.ledger.apply(
            cast.authorA,
            .submitReport(
                SubmitReport(
                    report: r1, patient: patient.id, category: body.category, content: content, recipients: [])))
        #expect(receipt.code == .invalidField)
        #expect(receipt.facts == [.field(.contentEnvelopes), .problem(.wrongSuite), .identity(patient.id)])
        #expect(receipt.sentence.contains("another suite"))
        #expect(cast.ledger.state.report(r1) == nil)
    }
}
