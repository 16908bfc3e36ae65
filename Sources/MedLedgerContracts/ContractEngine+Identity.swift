import MedLedgerCore

extension ContractEngine {
    /// True when `signer` may administer `organization`: the organization's own key, or an
    /// active practitioner of it with the admin role.
    func isAdmin(_ signer: IdentityRecord, of organization: IdentityID) -> Bool {
        if signer.kind == .organization { return signer.id == organization }
        return signer.kind == .practitioner && signer.organization == organization && signer.has(.admin)
    }

    func registerPractitioner(_ body: RegisterPractitioner, _ signer: IdentityRecord, _ state: inout LedgerState,
                              _ context: BlockContext) throws -> TransactionReceipt {
        guard let org = state.identity(body.organization), org.kind == .organization else {
            throw Rejection(.unknownIdentity, "organization \(body.organization) is not registered")
        }
        guard isAdmin(signer, of: org.id) else {
            throw Rejection(.notAdmin, "signer is not an admin of organization \(org.id)")
        }
        guard !body.roles.isEmpty, body.roles == Array(Set(body.roles)).sorted() else {
            throw Rejection(.invalidField, "roles: must be non-empty, sorted and without duplicates")
        }
        let id = IdentityID(signingKey: body.signingKey)
        guard state.identity(id) == nil else { throw Rejection(.identityExists, "identity \(id) already exists") }
        state.put(IdentityRecord(id: id, kind: .practitioner, signingKey: body.signingKey,
                                 encryptionKey: body.encryptionKey, organization: org.id, roles: body.roles,
                                 registeredAt: context.height))
        return ok("registered practitioner \(id)", [.identityRegistered(identity: id, kind: .practitioner)])
    }

    /// A patient registered by an organization admin (front-desk enrolment).
    func registerPatient(_ body: RegisterPatient, _ signer: IdentityRecord, _ state: inout LedgerState,
                         _ context: BlockContext) throws -> TransactionReceipt {
        guard let organization = signer.kind == .organization ? signer.id : signer.organization,
              isAdmin(signer, of: organization) else {
            throw Rejection(.notAdmin, "only the patient or an organization admin may register a patient")
        }
        // The admin must show the patient chose this encryption key (no front-running a
        // self-registration with a key the admin holds).
        guard let proof = body.keyProof,
              KeyProof.verifies(proof, signingKey: body.signingKey, encryptionKey: body.encryptionKey) else {
            throw Rejection(.invalidField, "keyProof: the patient's signing key must sign both keys")
        }
        let id = IdentityID(signingKey: body.signingKey)
        guard state.identity(id) == nil else { throw Rejection(.identityExists, "identity \(id) already exists") }
        state.put(IdentityRecord(id: id, kind: .patient, signingKey: body.signingKey, encryptionKey: body.encryptionKey,
                                 organization: nil, roles: [], registeredAt: context.height))
        return ok("registered patient \(id)", [.identityRegistered(identity: id, kind: .patient)])
    }

    /// A patient registers with their own new key: the transaction is its own proof of key
    /// possession, and its nonce becomes the new identity's first.
    func selfRegisterPatient(_ tx: Transaction, _ body: RegisterPatient, _ state: inout LedgerState,
                             _ context: BlockContext) -> TransactionReceipt {
        guard tx.signerKey == body.signingKey else {
            return .rejected(.signerKeyMismatch, "self-registration must be signed with the registered key")
        }
        guard tx.nonce >= 1 else { return .rejected(.staleNonce, "nonce must be at least 1") }
        guard tx.nonce <= Limits.nonceMaxJump else {
            return .rejected(.nonceGap, "a first nonce must be at most \(Limits.nonceMaxJump)")
        }
        state.put(IdentityRecord(id: tx.signer, kind: .patient, signingKey: body.signingKey,
                                 encryptionKey: body.encryptionKey, organization: nil, roles: [],
                                 lastNonce: tx.nonce, registeredAt: context.height))
        return ok("registered patient \(tx.signer)", [.identityRegistered(identity: tx.signer, kind: .patient)])
    }

    func rotateKeys(_ body: RotateKeys, _ signer: IdentityRecord, _ state: inout LedgerState) throws -> TransactionReceipt {
        guard body.newSigningKey != signer.signingKey else {
            throw Rejection(.invalidField, "newSigningKey: same as the current key")
        }
        guard KeyProof.verifies(body.keyProof, signingKey: body.newSigningKey, encryptionKey: body.newEncryptionKey) else {
            throw Rejection(.invalidField, "keyProof: the new signing key must sign both new keys")
        }
        var updated = signer
        updated.signingKey = body.newSigningKey
        updated.encryptionKey = body.newEncryptionKey
        state.put(updated)
        return ok("rotated keys of \(signer.id)", [.identityUpdated(identity: signer.id)])
    }

    func setIdentityStatus(_ body: SetIdentityStatus, _ signer: IdentityRecord,
                           _ state: inout LedgerState) throws -> TransactionReceipt {
        guard var target = state.identity(body.target) else {
            throw Rejection(.unknownIdentity, "identity \(body.target) is not registered")
        }
        guard target.kind == .practitioner, let org = target.organization, isAdmin(signer, of: org) else {
            throw Rejection(.notAdmin, "only an admin of the practitioner's organization may change its status")
        }
        guard target.id != signer.id else { throw Rejection(.invalidField, "target: an admin cannot suspend itself") }
        target.status = body.status
        state.put(target)
        return ok("identity \(target.id) is now \(body.status)", [.identityUpdated(identity: target.id)])
    }

    func setGuardian(_ body: SetGuardian, _ signer: IdentityRecord, _ state: inout LedgerState) throws -> TransactionReceipt {
        guard signer.kind == .patient else { throw Rejection(.wrongKind, "only a patient names guardians") }
        guard let guardian = state.identity(body.guardian), guardian.kind == .patient || guardian.kind == .practitioner else {
            throw Rejection(.unknownIdentity, "guardian \(body.guardian) is not a registered person")
        }
        guard guardian.id != signer.id else { throw Rejection(.invalidField, "guardian: a patient cannot be their own guardian") }
        var updated = signer
        var guardians = Set(updated.guardians)
        if body.isGuardian { guardians.insert(guardian.id) } else { guardians.remove(guardian.id) }
        guard guardians.count <= Limits.guardiansMaxCount else {
            throw Rejection(.limitReached, "guardians: at most \(Limits.guardiansMaxCount)")
        }
        updated.guardians = guardians.sorted()
        state.put(updated)
        return ok("guardians of \(signer.id) updated", [.identityUpdated(identity: signer.id)])
    }
}
