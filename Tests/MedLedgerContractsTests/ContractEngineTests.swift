import Testing
import MedLedgerCore
import MedLedgerContracts

/// Admission: chain, signature, signer, key, status and nonce checks that run before any handler.
@Suite struct ContractEngineTests {
    @Test func genesisStateHoldsOrganizationsAndValidators() throws {
        let ledger = Ledger()
        for org in [ledger.orgA, ledger.orgB, ledger.orgC] {
            let record = try #require(ledger.state.identity(org.id))
            #expect(record.kind == .organization)
            #expect(record.roles == [.admin])
            #expect(record.organization == nil)
        }
        let node = try #require(ledger.state.identity(ledger.validator.id))
        #expect(node.kind == .node)
        #expect(ledger.engine.custodians == [ledger.validator.id])
        #expect(ledger.engine.chainID == Ledger.chainID)
    }

    @Test func wrongChainIsRejected() {
        var ledger = Ledger()
        let patient = Party("p")
        let tx = ledger.tx(
            ledger.orgA, .registerPatient(RegisterPatient(keys: patient.keys)),
            chainID: "another-chain")
        let receipt = ledger.apply(tx)
        #expect(receipt.code == .wrongChain)
        #expect(receipt.events.isEmpty)
        // Even when the caller vouches for the signature.
        #expect(ledger.apply(tx, signatureVerified: true).code == .wrongChain)
        #expect(ledger.state.identity(patient.id) == nil)
        #expect(ledger.state.identity(ledger.orgA.id)?.lastNonce == 0)
    }

    @Test func badSignatureIsRejectedUnlessAlreadyVerified() throws {
        var ledger = Ledger()
        let patient = Party("p")
        let good = ledger.tx(ledger.orgA, .registerPatient(RegisterPatient(keys: patient.keys)))
        var bytes = good.encoded
        bytes[bytes.count - 5] ^= 0x01
        let forged = try Transaction.decode(bytes)
        #expect(!forged.hasValidSignature)
        let receipt = ledger.apply(forged)
        #expect(receipt.code == .badSignature)
        #expect(ledger.state.identity(patient.id) == nil)
        #expect(ledger.state.identity(ledger.orgA.id)?.lastNonce == 0)
        // The node verified it elsewhere (it did not, but the flag is trusted).
        #expect(ledger.apply(forged, signatureVerified: true).code == .ok)
    }

    @Test func unknownSignerIsRejected() {
        var ledger = Ledger()
        let stranger = Party("stranger")
        let receipt = ledger.apply(stranger, .setGuardian(SetGuardian(guardian: ledger.orgA.id, isGuardian: true)))
        #expect(receipt.code == .unknownSigner)
        #expect(ledger.state.identity(stranger.id) == nil)
    }

    @Test func staleAndReplayedNoncesAreRejected() {
        var cast = Cast()
        let payload = TransactionPayload.setGuardian(SetGuardian(guardian: cast.otherPatient.id, isGuardian: true))
        let first = cast.ledger.tx(cast.patient, payload, nonce: 10)
        #expect(cast.ledger.apply(first).code == .ok)
        #expect(cast.ledger.state.identity(cast.patient.id)?.lastNonce == 10)
        // The same signed bytes again: the receipt names both nonces.
        let replayed = cast.ledger.apply(first)
        #expect(replayed.code == .staleNonce)
        #expect(replayed.facts == [.nonce(10), .lastNonce(10)])
        // A lower and an equal nonce.
        #expect(cast.ledger.apply(cast.ledger.tx(cast.patient, payload, nonce: 9)).code == .staleNonce)
        #expect(cast.ledger.apply(cast.ledger.tx(cast.patient, payload, nonce: 10)).code == .staleNonce)
        // Gaps are allowed: only "greater than the last" is required.
        #expect(cast.ledger.apply(cast.ledger.tx(cast.patient, payload, nonce: 1_000)).code == .ok)
        #expect(cast.ledger.state.identity(cast.patient.id)?.lastNonce == 1_000)
    }

    @Test func refusedActionStillSpendsTheNonce() {
        var cast = Cast()
        // A patient may not name themself as guardian: refused by the handler, after admission.
        let tx = cast.ledger.tx(cast.patient, .setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true)))
        #expect(cast.ledger.apply(tx).code == .invalidField)
        #expect(cast.ledger.state.identity(cast.patient.id)?.lastNonce == tx.nonce)
        #expect(cast.ledger.apply(tx).code == .staleNonce)
    }

    @Test func nodeIdentityCanDoNothingUseful() {
        var cast = Cast()
        let node = cast.ledger.validator
        #expect(cast.ledger.submit(Ledger.reportID(1), patient: cast.patient, author: node).code == .missingRole)
        let p = Party("p-by-node")
        #expect(cast.ledger.apply(node, .registerPatient(RegisterPatient(keys: p.keys))).code == .notAdmin)
    }
}
