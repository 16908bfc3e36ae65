import MedLedgerCore

extension ContractEngine {
    /// True when `signer` may consent for `patient`: the patient or one of their guardians.
    func speaksFor(_ signer: IdentityRecord, patient: IdentityRecord, _ state: LedgerState) -> Bool {
        signer.id == patient.id || state.isGuardian(signer.id, of: patient.id)
    }

    func grantAccess(
        _ body: GrantAccess, _ signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard let patient = state.identity(body.patient), patient.kind == .patient else {
            throw Rejection.unregistered(.patient, body.patient, expecting: .patient)
        }
        guard speaksFor(signer, patient: patient, state) else {
            throw Rejection(.notPatientOrGuardian, .field(.patient), .identity(patient.id))
        }
        guard let grantee = state.identity(body.grantee), grantee.kind == .practitioner || grantee.kind == .organization
        else {
            throw Rejection.unregistered(.grantee, body.grantee, expecting: .practitioner, .organization)
        }
        guard !ContractEngine.isDistributionGrantID(body.grant) else {
            throw Rejection.invalid(.grant, .reserved, .grant(body.grant))
        }
        guard state.grant(body.grant) == nil else { throw Rejection(.grantExists, .grant(body.grant)) }
        try checkScope(body.scope, patient: patient.id, state)
        if let from = body.validFrom, let until = body.validUntil, until <= from {
            throw Rejection.invalid(.validUntil, .notAfterStart)
        }
        if let until = body.validUntil, until <= context.time {
            throw Rejection.invalid(.validUntil, .past, .time(context.time))
        }
        state.put(
            GrantRecord(
                id: body.grant, patient: patient.id, grantee: grantee.id, scope: body.scope,
                purpose: body.purpose, validFrom: body.validFrom, validUntil: body.validUntil,
                origin: .consent, grantedBy: signer.id, grantedAt: context.time))
        return .accepted([.grantChanged(grant: body.grant, patient: patient.id, grantee: grantee.id, active: true)])
    }

    func revokeGrant(
        _ body: RevokeGrant, _ signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        guard var grant = state.grant(body.grant) else { throw Rejection(.unknownGrant, .grant(body.grant)) }
        guard let patient = state.identity(grant.patient), speaksFor(signer, patient: patient, state) else {
            throw Rejection(.notPatientOrGuardian, .grant(grant.id))
        }
        guard grant.revokedAt == nil else { throw Rejection(.grantNotActive, .grant(grant.id)) }
        grant.revokedAt = context.time
        state.put(grant)
        return .accepted([.grantChanged(grant: grant.id, patient: grant.patient, grantee: grant.grantee, active: false)]
        )
    }

    private func checkScope(_ scope: GrantScope, patient: IdentityID, _ state: LedgerState) throws {
        switch scope {
        case .allReports: return
        case .categories(let codes):
            guard !codes.isEmpty else { throw Rejection.invalid(.scopeCategories, .empty) }
        case .reports(let ids):
            guard !ids.isEmpty else { throw Rejection.invalid(.scopeReports, .empty) }
            for id in ids where state.report(id)?.patient != patient {
                throw Rejection.invalid(.scopeReports, .notPatientsReport, .report(id))
            }
        }
    }

    /// True for ids in the half of the id space reserved for distribution grants.
    public static func isDistributionGrantID(_ id: GrantID) -> Bool { id.bytes[0] & 0x80 != 0 }
}
