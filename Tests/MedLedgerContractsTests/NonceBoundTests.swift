import Testing
import MedLedgerCore
import MedLedgerContracts

/// Issue 6.1: a nonce from outside must never push a signer to the edge of the integer range.
@Suite struct NonceBoundTests {
    func selfRegistration(_ patient: Party) -> TransactionPayload {
        .registerPatient(RegisterPatient(keys: patient.keys))
    }

    @Test func selfRegistrationWithHugeNonceIsRefused() {
        var ledger = Ledger()
        let patient = Party("mallory")
        let receipt = ledger.apply(ledger.tx(patient, selfRegistration(patient), nonce: .max))
        #expect(receipt.code == .nonceGap)
        #expect(receipt.facts == [.nonce(.max), .lastNonce(0), .limit(Limits.nonceMaxJump)])
        #expect(ledger.state.identity(patient.id) == nil)
    }

    @Test func selfRegistrationAtTheBoundIsAccepted() {
        var ledger = Ledger()
        let patient = Party("patient")
        let receipt = ledger.apply(ledger.tx(patient, selfRegistration(patient), nonce: Nonce(Limits.nonceMaxJump)))
        #expect(receipt.code == .ok)
        #expect(ledger.state.identity(patient.id)?.lastNonce == Nonce(Limits.nonceMaxJump))
    }

    @Test func nextNonceMayNotJumpPastTheBound() {
        var ledger = Ledger()
        let patient = Party("patient")
        #expect(ledger.apply(ledger.tx(patient, selfRegistration(patient), nonce: 1)).code == .ok)
        let guardian = Party("guardian")
        let payload = TransactionPayload.setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true))
        let far = ledger.apply(ledger.tx(patient, payload, nonce: Nonce(2 + Limits.nonceMaxJump)))
        #expect(far.code == .nonceGap)
        #expect(far.facts == [.nonce(Nonce(2 + Limits.nonceMaxJump)), .lastNonce(1), .limit(Limits.nonceMaxJump)])
        #expect(ledger.state.identity(patient.id)?.lastNonce == 1, "a refused gap does not spend the nonce")
        let near = ledger.apply(ledger.tx(patient, payload, nonce: Nonce(1 + Limits.nonceMaxJump)))
        #expect(near.code != .nonceGap && near.code != .staleNonce)
    }

    @Test func timeArithmeticSaturates() {
        let end = ConsensusTime(milliseconds: .max - 5)
        #expect(end.adding(milliseconds: 10).milliseconds == .max)
        #expect(end.adding(milliseconds: 5).milliseconds == .max)
        #expect(ConsensusTime(milliseconds: 1).adding(milliseconds: 2).milliseconds == 3)
    }
}
