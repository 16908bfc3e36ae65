import Testing
import MedLedgerCore
import MedLedgerContracts

@Suite struct ContractEngineIdentityTests {
    func practitionerPayload(_ party: Party, org: IdentityID, roles: [Role]) -> TransactionPayload {
        .registerPractitioner(
            RegisterPractitioner(
                organization: org, signingKey: party.keys.publicSigningKey,
                encryptionKey: party.keys.publicEncryptionKey, roles: roles))
    }

    @Test func organizationRegistersPractitioner() throws {
        var ledger = Ledger()
        ledger.height = 5
        let doctor = Party("doctor")
        let receipt = ledger.apply(
            ledger.orgA, practitionerPayload(doctor, org: ledger.orgA.id, roles: [.author, .reader]))
        #expect(receipt.code == .ok)
        #expect(
            receipt.events == [
                .identityRegistered(identity: doctor.id, kind: .practitioner, organization: ledger.orgA.id)
            ])
        let record = try #require(ledger.state.identity(doctor.id))
        #expect(record.kind == .practitioner)
        #expect(record.organization == ledger.orgA.id)
        #expect(record.roles == [.author, .reader])
        #expect(record.status == .active)
        #expect(record.lastNonce == 0)
        #expect(record.registeredAt == 5)
        #expect(record.signingKey == doctor.keys.publicSigningKey)
        #expect(record.encryptionKey == doctor.keys.publicEncryptionKey)
    }

    @Test func adminPractitionerRegistersPractitioner() {
        var cast = Cast()
        let nurse = Party("nurse")
        #expect(
            cast.ledger.apply(cast.adminA, practitionerPayload(nurse, org: cast.ledger.orgA.id, roles: [.reader])).code
                == .ok)
        #expect(cast.ledger.state.identity(nurse.id)?.organization == cast.ledger.orgA.id)
    }

    @Test func nonAdminCannotRegisterPractitioner() {
        var cast = Cast()
        let nurse = Party("nurse")
        let orgA = cast.ledger.orgA.id
        // A practitioner without the admin role.
        #expect(
            cast.ledger.apply(cast.authorA, practitionerPayload(nurse, org: orgA, roles: [.reader])).code == .notAdmin)
        // Another organization's key.
        #expect(
            cast.ledger.apply(cast.ledger.orgB, practitionerPayload(nurse, org: orgA, roles: [.reader])).code
                == .notAdmin)
        // A patient.
        #expect(
            cast.ledger.apply(cast.patient, practitionerPayload(nurse, org: orgA, roles: [.reader])).code == .notAdmin)
        // An admin of another organization.
        let adminB = cast.ledger.registerPractitioner("admin-b", of: cast.ledger.orgB, roles: [.admin])
        #expect(cast.ledger.apply(adminB, practitionerPayload(nurse, org: orgA, roles: [.reader])).code == .notAdmin)
        #expect(cast.ledger.state.identity(nurse.id) == nil)
    }

    @Test func registeringIntoSomethingThatIsNotAnOrganizationFails() {
        var cast = Cast()
        let nurse = Party("nurse")
        #expect(
            cast.ledger.apply(cast.ledger.orgA, practitionerPayload(nurse, org: cast.patient.id, roles: [.reader])).code
                == .unknownIdentity)
        #expect(
            cast.ledger.apply(cast.ledger.orgA, practitionerPayload(nurse, org: Party("nowhere").id, roles: [.reader]))
                .code
                == .unknownIdentity)
    }

    @Test(arguments: [[Role](), [.reader, .author], [.author, .author]])
    func rolesMustBeSortedUniqueAndNonEmpty(roles: [Role]) {
        var ledger = Ledger()
        let nurse = Party("nurse")
        #expect(
            ledger.apply(ledger.orgA, practitionerPayload(nurse, org: ledger.orgA.id, roles: roles)).code
                == .invalidField)
        #expect(ledger.state.identity(nurse.id) == nil)
    }

    @Test func duplicateIdentityIsRejected() {
        var cast = Cast()
        let again = practitionerPayload(cast.authorA, org: cast.ledger.orgA.id, roles: [.author])
        #expect(cast.ledger.apply(cast.ledger.orgA, again).code == .identityExists)
        // The same key registered as a practitioner elsewhere, or as a patient.
        #expect(
            cast.ledger.apply(
                cast.ledger.orgB, practitionerPayload(cast.authorA, org: cast.ledger.orgB.id, roles: [.author])
            ).code
                == .identityExists)
        #expect(
            cast.ledger.apply(cast.ledger.orgA, .registerPatient(RegisterPatient(keys: cast.patient.keys))).code
                == .identityExists)
    }

    @Test func patientSelfRegisters() throws {
        var ledger = Ledger()
        ledger.height = 3
        let patient = Party("self")
        let tx = ledger.tx(
            patient, .registerPatient(RegisterPatient(keys: patient.keys)),
            nonce: 4)
        let receipt = ledger.apply(tx)
        #expect(receipt.code == .ok)
        #expect(receipt.events == [.identityRegistered(identity: patient.id, kind: .patient, organization: nil)])
        let record = try #require(ledger.state.identity(patient.id))
        #expect(record.kind == .patient)
        #expect(record.organization == nil)
        #expect(record.roles.isEmpty)
        #expect(record.lastNonce == 4)
        #expect(record.registeredAt == 3)
        // Replaying the registration is a stale nonce, not a second identity.
        #expect(ledger.apply(tx).code == .staleNonce)
    }

    @Test func selfRegistrationMustBeSignedByTheRegisteredKey() {
        var ledger = Ledger()
        let victim = Party("victim")
        let attacker = Party("attacker")
        // Claims the victim's id and key in the body, but is signed by the attacker's key.
        let tx = Transaction(
            chainID: Ledger.chainID, signer: victim.id, keys: attacker.keys, nonce: 1,
            payload: .registerPatient(
                RegisterPatient(
                    signingKey: victim.keys.publicSigningKey,
                    encryptionKey: attacker.keys.publicEncryptionKey)))
        #expect(tx.hasValidSignature)
        #expect(ledger.apply(tx).code == .signerKeyMismatch)
        #expect(ledger.state.identity(victim.id) == nil)
        // Nonce 0 is never fresh.
        let zero = Transaction(
            chainID: Ledger.chainID, signer: victim.id, keys: victim.keys, nonce: 0,
            payload: .registerPatient(RegisterPatient(keys: victim.keys)))
        #expect(ledger.apply(zero).code == .staleNonce)
    }

    @Test func adminRegistersPatientWhoThenSigns() throws {
        var cast = Cast()
        let walkIn = Party("walk-in")
        let receipt = cast.ledger.apply(cast.adminA, .registerPatient(RegisterPatient(keys: walkIn.keys)))
        #expect(receipt.code == .ok)
        let record = try #require(cast.ledger.state.identity(walkIn.id))
        #expect(record.kind == .patient)
        #expect(record.lastNonce == 0)
        #expect(
            cast.ledger.apply(walkIn, .setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true))).code
                == .ok)
        // Organization key works too; a non-admin practitioner or a patient does not.
        let second = Party("walk-in-2")
        let payload = TransactionPayload.registerPatient(RegisterPatient(keys: second.keys))
        #expect(cast.ledger.apply(cast.authorA, payload).code == .notAdmin)
        #expect(cast.ledger.apply(cast.patient, payload).code == .notAdmin)
        #expect(cast.ledger.apply(cast.ledger.orgC, payload).code == .ok)
    }

    @Test func rotatedKeysReplaceTheOldOnes() throws {
        var cast = Cast()
        let newKeys = IdentityKeys.deterministic(seed: "author-a-rotated")
        let receipt = cast.ledger.apply(cast.authorA, .rotateKeys(RotateKeys(newKeys: newKeys)))
        #expect(receipt.code == .ok)
        #expect(receipt.events == [.identityUpdated(identity: cast.authorA.id)])
        let record = try #require(cast.ledger.state.identity(cast.authorA.id))
        #expect(record.id == cast.authorA.id)
        #expect(record.signingKey == newKeys.publicSigningKey)
        #expect(record.encryptionKey == newKeys.publicEncryptionKey)

        let payload = TransactionPayload.setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true))
        // The old key is refused...
        let old = cast.ledger.tx(cast.authorA, .rotateKeys(RotateKeys(newKeys: cast.authorA.keys)))
        #expect(cast.ledger.apply(old).code == .signerKeyMismatch)
        // ...and the new one admitted (setGuardian is refused later for kind, after admission).
        var rotated = cast.authorA
        rotated.keys = newKeys
        #expect(cast.ledger.apply(rotated, payload).code == .wrongKind)
        // Rotating to the current key is refused.
        #expect(
            cast.ledger.apply(rotated, .rotateKeys(RotateKeys(newKeys: newKeys))).code
                == .invalidField)
    }

    @Test func patientRotatesKeysAndKeepsGrantingWithTheNewKey() {
        var cast = Cast()
        let newKeys = IdentityKeys.deterministic(seed: "patient-1-rotated")
        #expect(cast.ledger.apply(cast.patient, .rotateKeys(RotateKeys(newKeys: newKeys))).code == .ok)
        var rotated = cast.patient
        rotated.keys = newKeys
        let payload = TransactionPayload.setGuardian(SetGuardian(guardian: cast.otherPatient.id, isGuardian: true))
        #expect(cast.ledger.apply(cast.patient, payload).code == .signerKeyMismatch)
        #expect(cast.ledger.apply(rotated, payload).code == .ok)
    }

    @Test
    func suspendedPractitionerIsRejectedUntilReinstated() throws {
        var cast = Cast()
        let suspend = TransactionPayload.setIdentityStatus(
            SetIdentityStatus(target: cast.readerA.id, status: .suspended))
        let receipt = cast.ledger.apply(cast.adminA, suspend)
        #expect(receipt.code == .ok)
        #expect(receipt.events == [.identityUpdated(identity: cast.readerA.id)])
        #expect(cast.ledger.state.identity(cast.readerA.id)?.status == .suspended)
        let payload = TransactionPayload.setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true))
        let tx = cast.ledger.tx(cast.readerA, payload)
        #expect(cast.ledger.apply(tx).code == .signerSuspended)
        // A refused admission does not spend the nonce.
        #expect(cast.ledger.state.identity(cast.readerA.id)?.lastNonce == 0)
        #expect(
            cast.ledger.apply(
                cast.ledger.orgA,
                .setIdentityStatus(
                    SetIdentityStatus(
                        target: cast.readerA.id,
                        status: .active))
            ).code == .ok)
        #expect(cast.ledger.apply(tx).code == .wrongKind)  // admitted again; refused by the handler
    }

    @Test
    func onlyAnAdminOfThePractitionersOrganizationChangesStatus() {
        var cast = Cast()
        let suspend = { (target: IdentityID) in
            TransactionPayload.setIdentityStatus(SetIdentityStatus(target: target, status: .suspended))
        }
        #expect(cast.ledger.apply(cast.ledger.orgB, suspend(cast.readerA.id)).code == .notAdmin)
        #expect(cast.ledger.apply(cast.authorA, suspend(cast.readerA.id)).code == .notAdmin)
        #expect(cast.ledger.apply(cast.ledger.orgA, suspend(cast.patient.id)).code == .notAdmin)
        #expect(cast.ledger.apply(cast.ledger.orgA, suspend(Party("ghost").id)).code == .unknownIdentity)
        #expect(cast.ledger.apply(cast.adminA, suspend(cast.adminA.id)).code == .invalidField)
        #expect(cast.ledger.state.identity(cast.readerA.id)?.status == .active)
    }

    @Test func guardianIsSetAndUnset() throws {
        var cast = Cast()
        let set = cast.ledger.apply(
            cast.patient, .setGuardian(SetGuardian(guardian: cast.otherPatient.id, isGuardian: true)))
        #expect(set.code == .ok)
        #expect(set.events == [.identityUpdated(identity: cast.patient.id)])
        #expect(cast.ledger.state.guardians(of: cast.patient.id).guardians == [cast.otherPatient.id])
        // A practitioner may be a guardian too; the list stays sorted.
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: cast.readerA.id, isGuardian: true))).code
                == .ok)
        let guardians = cast.ledger.state.guardians(of: cast.patient.id).guardians
        #expect(guardians == [cast.otherPatient.id, cast.readerA.id].sorted())
        // Setting twice is idempotent.
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: cast.readerA.id, isGuardian: true))).code
                == .ok)
        #expect(cast.ledger.state.guardians(of: cast.patient.id).guardians.count == 2)
        #expect(
            cast.ledger.apply(
                cast.patient, .setGuardian(SetGuardian(guardian: cast.otherPatient.id, isGuardian: false))
            ).code == .ok)
        #expect(cast.ledger.state.guardians(of: cast.patient.id).guardians == [cast.readerA.id])
    }

    /// The identity record's proof is public, so the guardians live in an entry of their own
    /// (`0x07 ‖ patient`), absent again once the list is empty.
    @Test func guardiansLiveApartFromTheIdentityRecord() throws {
        var cast = Cast()
        let guardian = cast.otherPatient.id
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: guardian, isGuardian: true))).code == .ok
        )
        let identity = try #require(cast.ledger.state.encodedValue(.identity(cast.patient.id)))
        let needle = guardian.hash.bytes
        let leaks = (0...(identity.count - needle.count)).contains { Array(identity[$0..<$0 + needle.count]) == needle }
        #expect(!leaks, "the identity record names no guardian")
        #expect(
            cast.ledger.state.encodedValue(.guardians(cast.patient.id)) == GuardiansRecord([guardian]).canonicalBytes)
        #expect(StateKey(bytes: StateKey.guardians(cast.patient.id).bytes) == .guardians(cast.patient.id))
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: guardian, isGuardian: false))).code
                == .ok)
        #expect(cast.ledger.state.encodedValue(.guardians(cast.patient.id)) == nil)
    }

    @Test func guardianRulesAreEnforced() {
        var cast = Cast()
        #expect(
            cast.ledger.apply(cast.readerA, .setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true))).code
                == .wrongKind)
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: cast.ledger.orgA.id, isGuardian: true)))
                .code
                == .unknownIdentity)
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: Party("ghost").id, isGuardian: true)))
                .code
                == .unknownIdentity)
        #expect(
            cast.ledger.apply(cast.patient, .setGuardian(SetGuardian(guardian: cast.patient.id, isGuardian: true))).code
                == .invalidField)
    }

    @Test func guardianLimitIsEnforced() {
        var ledger = Ledger()
        let patient = ledger.registerPatient("many-guardians")
        for n in 0..<Limits.guardiansMaxCount {
            let guardian = ledger.registerPatient("guardian-\(n)")
            #expect(
                ledger.apply(patient, .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true))).code == .ok)
        }
        let oneTooMany = ledger.registerPatient("guardian-extra")
        #expect(
            ledger.apply(patient, .setGuardian(SetGuardian(guardian: oneTooMany.id, isGuardian: true))).code
                == .limitReached)
        #expect(ledger.state.guardians(of: patient.id).guardians.count == Limits.guardiansMaxCount)
    }

    /// Issue 6, low: an admin used to be able to front-run a patient's self-registration with
    /// an encryption key the admin holds; now the patient's signing key must sign both keys.
    @Test func adminCannotRegisterAPatientWithAnEncryptionKeyThePatientDidNotChoose() {
        var cast = Cast()
        let patient = Party("front-run-victim")
        let admin = Party("admin-own-keys")
        let substituted = RegisterPatient(
            signingKey: patient.keys.publicSigningKey, encryptionKey: admin.keys.publicEncryptionKey,
            keyProof: KeyProof.make(patient.keys))
        #expect(cast.ledger.apply(cast.adminA, .registerPatient(substituted)).code == .invalidField)
        let unproven = RegisterPatient(
            signingKey: patient.keys.publicSigningKey, encryptionKey: patient.keys.publicEncryptionKey)
        #expect(cast.ledger.apply(cast.adminA, .registerPatient(unproven)).code == .invalidField)
        #expect(cast.ledger.state.identity(patient.id) == nil)
        #expect(cast.ledger.apply(cast.adminA, .registerPatient(RegisterPatient(keys: patient.keys))).code == .ok)
    }

    @Test func rotationNeedsAProofByTheNewKey() {
        var cast = Cast()
        let newKeys = IdentityKeys.deterministic(seed: "rotation-target")
        let other = IdentityKeys.deterministic(seed: "other")
        let forged = RotateKeys(
            newSigningKey: newKeys.publicSigningKey, newEncryptionKey: other.publicEncryptionKey,
            keyProof: KeyProof.make(newKeys))
        #expect(cast.ledger.apply(cast.patient, .rotateKeys(forged)).code == .invalidField)
        #expect(cast.ledger.apply(cast.patient, .rotateKeys(RotateKeys(newKeys: newKeys))).code == .ok)
    }
}
