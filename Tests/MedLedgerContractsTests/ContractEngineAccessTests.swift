import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite
struct ContractEngineAccessTests {
    let r1 = Ledger.reportID(1)

    func castWithReport() -> Cast {
        var cast = Cast()
        cast.ledger.submit(r1, patient: cast.patient, author: cast.authorA)
        return cast
    }

    @Test func relationshipsReadWithoutAGrant() {
        var cast = castWithReport()
        for reader in [cast.patient, cast.authorA, cast.approverA, cast.readerA, cast.seniorA] {
            let receipt = cast.ledger.read(r1, by: reader)
            #expect(receipt.code == .ok, "\(reader.name)")
            #expect(
                receipt.events == [
                    .access(
                        report: r1, version: 1, patient: cast.patient.id, reader: reader.id,
                        purpose: .treatment, basis: .relationship,
                        organization: reader.id == cast.patient.id ? nil : cast.ledger.orgA.id)
                ])
        }
        // An admin-only practitioner of the authoring organization has no clinical relationship.
        #expect(cast.ledger.read(r1, by: cast.adminA).code == .noActiveGrant)
        #expect(cast.ledger.read(r1, by: cast.ledger.orgA).code == .noActiveGrant)
    }

    @Test func deniedReadIsRecordedAndSpendsTheNonce() throws {
        var cast = castWithReport()
        let tx = cast.ledger.tx(cast.readerB, .accessReport(AccessReport(report: r1, version: 1, purpose: .emergency)))
        let receipt = cast.ledger.apply(tx)
        #expect(receipt.code == .noActiveGrant)
        #expect(
            receipt.events == [
                .access(
                    report: r1, version: 1, patient: cast.patient.id, reader: cast.readerB.id,
                    purpose: .emergency, basis: .denied(.noActiveGrant), organization: cast.ledger.orgB.id)
            ])
        #expect(!AccessBasis.denied(.noActiveGrant).isGranted)
        #expect(cast.ledger.state.identity(cast.readerB.id)?.lastNonce == tx.nonce)
        #expect(cast.ledger.apply(tx).code == .staleNonce)
    }

    @Test func unknownVersionIsRejected() {
        var cast = castWithReport()
        #expect(cast.ledger.read(r1, version: 2, by: cast.patient).code == .unknownVersion)
        #expect(cast.ledger.read(r1, version: 0, by: cast.patient).code == .unknownVersion)
    }

    @Test func everyAllowedReadLeavesOneAccessEvent() {
        var cast = castWithReport()
        for _ in 0..<3 {
            let receipt = cast.ledger.read(r1, by: cast.patient)
            #expect(receipt.code == .ok)
            #expect(receipt.events.count == 1)
        }
    }

    @Test func lowestGrantIDIsTheBasisWhenSeveralCover() {
        var cast = castWithReport()
        let high = Ledger.grantID(0x70)
        let low = Ledger.grantID(0x10)
        #expect(cast.ledger.grant(high, patient: cast.patient, to: cast.readerB.id).code == .ok)
        #expect(cast.ledger.grant(low, patient: cast.patient, to: cast.readerB.id).code == .ok)
        #expect(
            cast.ledger.read(r1, by: cast.readerB).events.first
                == .access(
                    report: r1, version: 1, patient: cast.patient.id, reader: cast.readerB.id, purpose: .treatment,
                    basis: .grant(low), organization: cast.ledger.orgB.id))
    }
}
