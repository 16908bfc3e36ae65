import MedLedgerCore

extension ContractEngine {
    /// True when `signer` may administer `organization`: the organization's own key, or an
    /// active practitioner of it with the admin role.
    func isAdmin(_ signer: IdentityRecord, of organization: IdentityID) -> Bool {
        if signer.kind == .organization { return signer.id == organization }
        return signer.kind == .practitioner && signer.organization == organization && signer.has(.admin)
    }

    func registerPractitioner(
        _ body: RegisterPractitioner, _ signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard let org = state.identity(body.organization), org.kind == .organization else {
            throw Rejection.unregistered(.organization, body.organization, expecting: .organization)
        }
        guard isAdmin(signer, of: org.id) else {
            throw Rejection(.notAdmin, .organization(org.id))
        }
        guard !body.roles.isEmpty, body.roles == Array(Set(body.roles)).sorted() else {
            throw Rejection.invalid(.roles, .notSortedSet)
        }
        let id = IdentityID(signingKey: body.signingKey)
        guard state.identity(id) == nil else { throw Rejection(.identityExists, .identity(id)) }
        state.put(
            IdentityRecord(
                id: id, kind: .practitioner, signingKey: body.signingKey,
                encryptionKey: body.encryptionKey, organization: org.id, roles: body.roles,
                registeredAt: context.height))
        return .accepted([.identityRegistered(identity: id, kind: .practitioner, organization: org.id)])
    }

    /// A patient registered by an organization admin (front-desk enrolment).
    func registerPatient(
        _ body: RegisterPatient, _ signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard let organization = signer.kind == .organization ? signer.id : signer.organization else {
            throw Rejection(.notAdmin)
        }
        guard isAdmin(signer, of: organization) else { throw Rejection(.notAdmin, .organization(organization)) }
        // The admin must show the patient chose this encryption key (no front-running a
        // self-registration with a key the admin holds).
        guard let proof = body.keyProof,
            KeyProof.verifies(proof, signingKey: body.signingKey, encryptionKey: body.encryptionKey)
        else {
            throw Rejection.invalid(.keyProof, .badKeyProof)
        }
        let id = IdentityID(signingKey: body.signingKey)
        guard state.identity(id) == nil else { throw Rejection(.identityExists, .identity(id)) }
        state.put(
            IdentityRecord(
                id: id, kind: .patient, signingKey: body.signingKey, encryptionKey: body.encryptionKey,
                organization: nil, roles: [], registeredAt: context.height))
        return .accepted([.identityRegistered(identity: id, kind: .patient, organization: nil)])
    }

    /// A patient registers with their own new key: the transaction is its own proof of key
    /// possession, and its nonce becomes the new identity's first.
    func selfRegisterPatient(
        _ tx: Transaction, _ body: RegisterPatient, _ state: inout LedgerState,
        _ context: BlockContext
    ) -> TransactionReceipt {
        guard tx.signerKey == body.signingKey else {
            return .rejected(.signerKeyMismatch, [.identity(tx.signer), .field(.signingKey)])
        }
        guard tx.nonce >= 1 else { return .rejected(.staleNonce, [.nonce(tx.nonce), .lastNonce(0)]) }
        guard tx.nonce.rawValue <= Limits.nonceMaxJump else {
            return .rejected(.nonceGap, [.nonce(tx.nonce), .lastNonce(0), .limit(Limits.nonceMaxJump)])
        }
        state.put(
            IdentityRecord(
                id: tx.signer, kind: .patient, signingKey: body.signingKey,
                encryptionKey: body.encryptionKey, organization: nil, roles: [],
                lastNonce: tx.nonce, registeredAt: context.height))
        return .accepted([.identityRegistered(identity: tx.signer, kind: .patient, organization: nil)])
    }

    func rotateKeys(_ body: RotateKeys, _ signer: IdentityRecord, _ state: inout LedgerState) throws
        -> TransactionReceipt
    {
        guard body.newSigningKey != signer.signingKey else {
            throw Rejection.invalid(.newSigningKey, .unchanged)
        }
        guard KeyProof.verifies(body.keyProof, signingKey: body.newSigningKey, encryptionKey: body.newEncryptionKey)
        else {
            throw Rejection.invalid(.keyProof, .badKeyProof)
        }
        var updated = signer
        updated.signingKey = body.newSigningKey
        updated.encryptionKey = body.newEncryptionKey
        state.put(updated)
        return .accepted([.identityUpdated(identity: signer.id)])
    }

    func setIdentityStatus(
        _ body: SetIdentityStatus, _ signer: IdentityRecord,
        _ state: inout LedgerState
    ) throws -> TransactionReceipt {
        guard var target = state.identity(body.target) else {
            throw Rejection.unregistered(.target, body.target)
        }
        guard target.kind == .practitioner, let org = target.organization, isAdmin(signer, of: org) else {
            throw Rejection(.notAdmin, .field(.target), .identity(target.id))
        }
        guard target.id != signer.id else { throw Rejection.invalid(.target, .namesSigner) }
        target.status = body.status
        state.put(target)
        return .accepted([.identityUpdated(identity: target.id)])
    }

    func setGuardian(_ body: SetGuardian, _ signer: IdentityRecord, _ state: inout LedgerState) throws
        -> TransactionReceipt
    {
        guard signer.kind == .patient else { throw Rejection(.wrongKind, .kind(.patient)) }
        guard let guardian = state.identity(body.guardian), guardian.kind == .patient || guardian.kind == .practitioner
        else {
            throw Rejection.unregistered(.guardian, body.guardian, expecting: .patient, .practitioner)
        }
        guard guardian.id != signer.id else { throw Rejection.invalid(.guardian, .namesSigner) }
        var guardians = Set(state.guardians(of: signer.id).guardians)
        if body.isGuardian { guardians.insert(guardian.id) } else { guardians.remove(guardian.id) }
        guard guardians.count <= Limits.guardiansMaxCount else {
            throw Rejection(.limitReached, .field(.guardians), .limit(UInt64(Limits.guardiansMaxCount)))
        }
        state.put(GuardiansRecord(guardians.sorted()), for: signer.id)
        return .accepted([.identityUpdated(identity: signer.id)])
    }
}
