import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerContracts
import MedLedgerVault

/// A signed-in user of MedLedger: builds, signs and submits transactions, and does the
/// client side of encryption (report plaintext never leaves the client unencrypted).
public struct LedgerClient: Sendable {
    public let gateway: any LedgerGateway
    public let me: ClientIdentity
    /// Gateways to the other custodian nodes, asked for their key shares when a read needs
    /// more than the one `gateway`'s node holds (`Genesis.custodyThreshold` > 1).
    public let otherCustodians: [any LedgerGateway]

    public init(gateway: any LedgerGateway, me: ClientIdentity, otherCustodians: [any LedgerGateway] = []) {
        self.gateway = gateway
        self.me = me
        self.otherCustodians = otherCustodians
    }

    /// Signs `payload` with the next nonce, submits it and waits for its block.
    /// Returns the receipt whatever its code; `sendExpectingSuccess` throws on a rejection.
    public func send(_ payload: TransactionPayload) async throws -> CommittedTransaction {
        let chainID = try await gateway.chainID()
        let nonce = try await gateway.nextNonce(for: me.id)
        let tx = Transaction(chainID: chainID, signer: me.id, keys: me.keys, nonce: nonce, payload: payload)
        return try await gateway.submitAndWait(tx)
    }

    @discardableResult
    public func sendExpectingSuccess(_ payload: TransactionPayload) async throws -> CommittedTransaction {
        let committed = try await send(payload)
        guard committed.receipt.code.isSuccess else { throw ClientError.rejected(committed.receipt) }
        return committed
    }

    public func registerPractitioner(_ keys: IdentityKeys, organization: IdentityID, roles: [Role]) async throws
        -> IdentityID
    {
        try await sendExpectingSuccess(
            .registerPractitioner(
                RegisterPractitioner(
                    organization: organization, signingKey: keys.publicSigningKey,
                    encryptionKey: keys.publicEncryptionKey,
                    roles: Array(Set(roles)).sorted())))
        return keys.identityID
    }

    /// Registers `me` as a patient, signed with my own new key.
    public func registerSelfAsPatient() async throws {
        try await sendExpectingSuccess(.registerPatient(RegisterPatient(keys: me.keys)))
    }

    public func setGuardian(_ guardian: IdentityID, active: Bool) async throws {
        try await sendExpectingSuccess(.setGuardian(SetGuardian(guardian: guardian, isGuardian: active)))
    }

    public func grant(
        patient: IdentityID, to grantee: IdentityID, scope: GrantScope, purpose: Purpose,
        validUntil: ConsensusTime? = nil
    ) async throws -> GrantID {
        let id = GrantID.randomConsentGrantID()
        try await sendExpectingSuccess(
            .grantAccess(
                GrantAccess(
                    grant: id, patient: patient, grantee: grantee, scope: scope, purpose: purpose,
                    validFrom: nil, validUntil: validUntil)))
        return id
    }

    public func revoke(_ grant: GrantID) async throws {
        try await sendExpectingSuccess(.revokeGrant(RevokeGrant(grant: grant)))
    }

    /// Reports one read to the privacy officers of the reader's organization (patient or
    /// guardian); returns the new case's id.
    public func openCase(
        accessTransaction: Hash256, report: ReportID, reader: IdentityID, concern: CaseConcern
    ) async throws -> CaseID {
        let id = CaseID.randomCaseID()
        try await sendExpectingSuccess(
            .openCase(
                OpenCase(
                    caseID: id, accessTransaction: accessTransaction, report: report, reader: reader, concern: concern)
            ))
        return id
    }

    /// Records a privacy officer's finding; the case closes.
    public func resolveCase(_ id: CaseID, resolution: CaseResolution) async throws {
        try await sendExpectingSuccess(.resolveCase(ResolveCase(caseID: id, resolution: resolution)))
    }
}

/// Why a client call failed after the node answered.
public enum ClientError: Error, CustomStringConvertible {
    case rejected(TransactionReceipt)
    case notFound(String)
    case integrity(String)

    public var description: String {
        switch self {
        case .rejected(let receipt): "rejected (\(receipt.code)): \(receipt.sentence)"
        case .notFound(let what): "not found: \(what)"
        case .integrity(let what): "integrity check failed: \(what)"
        }
    }
}
