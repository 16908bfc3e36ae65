import MedLedgerCore

/// The deterministic state machine: same state + same block gives the same receipts and
/// the same state root on every node. No clock, no randomness, no I/O; rejections are
/// result codes in receipts, never thrown across this boundary.
public struct ContractEngine: Sendable {
    public let chainID: String
    /// Custodian nodes: every report version must carry a key envelope for each.
    public let custodians: [IdentityID]
    /// Which validators may hold which organization's blobs (attestations are checked against it).
    public let blobPlacement: BlobPlacement
    /// The suite of each custodian's genesis key (same order): the key clients seal shares to.
    public let custodianSuites: [EncryptionSuite]

    public init(genesis: Genesis) {
        self.chainID = genesis.chainID
        self.custodians = genesis.validatorSet.validators.map(\.id)
        self.blobPlacement = genesis.blobPlacement
        self.custodianSuites = genesis.validatorSet.validators.map(\.encryptionKey.suite)
    }

    /// The state the chain starts from: founding organizations and validator nodes.
    public func genesisState(_ genesis: Genesis) -> LedgerState {
        var state = LedgerState()
        for org in genesis.organizations {
            state.put(
                IdentityRecord(
                    id: org.id, kind: .organization, signingKey: org.signingKey,
                    encryptionKey: org.encryptionKey, organization: nil, roles: [.admin],
                    registeredAt: 0))
        }
        for validator in genesis.validators {
            state.put(
                IdentityRecord(
                    id: validator.id, kind: .node, signingKey: validator.signingKey,
                    encryptionKey: validator.encryptionKey, organization: nil, roles: [],
                    registeredAt: 0))
        }
        // Left as pending changes on purpose: block 1 persists them with its own changes.
        return state
    }

    /// Executes one transaction.
    /// - Parameter signatureVerified: true when the caller already checked the signature
    ///   (the node verifies each transaction once, on admission or block validation).
    public func apply(
        _ tx: Transaction, to state: inout LedgerState, context: BlockContext,
        signatureVerified: Bool = false
    ) -> TransactionReceipt {
        guard tx.chainID == chainID else {
            return .rejected(.wrongChain)
        }
        guard signatureVerified || tx.hasValidSignature else {
            return .rejected(.badSignature)
        }
        if case .registerPatient(let body) = tx.payload, tx.signer == IdentityID(signingKey: body.signingKey),
            state.identity(tx.signer) == nil
        {
            return selfRegisterPatient(tx, body, &state, context)
        }
        let signer: IdentityRecord
        switch admit(tx, state) {
        case .success(let record): signer = record
        case .failure(let rejection): return rejection.receipt
        }
        // The nonce is spent even when the action is refused: the refusal is on the ledger
        // and the same signed bytes can never be replayed.
        var bumped = signer
        bumped.lastNonce = tx.nonce
        state.put(bumped)
        do {
            return try dispatch(tx, signer: bumped, &state, context)
        } catch let rejection as Rejection {
            return rejection.receipt
        } catch {
            preconditionFailure("handlers throw only Rejection, got \(error)")
        }
    }

    /// Checks the signer exists, holds the signing key, is active, and the nonce is fresh.
    public func admit(_ tx: Transaction, _ state: LedgerState) -> Result<IdentityRecord, Rejection> {
        guard let signer = state.identity(tx.signer) else {
            return .failure(Rejection(.unknownSigner, .identity(tx.signer)))
        }
        guard signer.signingKey == tx.signerKey else {
            return .failure(Rejection(.signerKeyMismatch, .identity(tx.signer)))
        }
        guard signer.isActive else {
            return .failure(Rejection(.signerSuspended, .identity(tx.signer)))
        }
        guard tx.nonce > signer.lastNonce else {
            return .failure(Rejection(.staleNonce, .nonce(tx.nonce), .lastNonce(signer.lastNonce)))
        }
        guard tx.nonce.distance(above: signer.lastNonce) <= Limits.nonceMaxJump else {
            return .failure(
                Rejection(.nonceGap, .nonce(tx.nonce), .lastNonce(signer.lastNonce), .limit(Limits.nonceMaxJump)))
        }
        return .success(signer)
    }

    private func dispatch(
        _ tx: Transaction, signer: IdentityRecord, _ state: inout LedgerState,
        _ context: BlockContext
    ) throws -> TransactionReceipt {
        switch tx.payload {
        case .registerPractitioner(let body): try registerPractitioner(body, signer, &state, context)
        case .registerPatient(let body): try registerPatient(body, signer, &state, context)
        case .rotateKeys(let body): try rotateKeys(body, signer, &state)
        case .setIdentityStatus(let body): try setIdentityStatus(body, signer, &state)
        case .setGuardian(let body): try setGuardian(body, signer, &state)
        case .submitReport(let body): try submitReport(body, signer, &state, context)
        case .approveReport(let body): try approveReport(body, signer, &state, context)
        case .reviseReport(let body): try reviseReport(body, signer, &state, context)
        case .rekeyReport(let body): try rekeyReport(body, signer, &state)
        case .markEnteredInError(let body): try markEnteredInError(body, signer, &state)
        case .grantAccess(let body): try grantAccess(body, signer, &state, context)
        case .revokeGrant(let body): try revokeGrant(body, signer, &state, context)
        case .accessReport(let body): try accessReport(body, signer, &state, context)
        case .attestBlobs(let body): try attestBlobs(body, signer, &state, context)
        case .openCase(let body): try openCase(body, signer, &state, context)
        case .resolveCase(let body): try resolveCase(body, signer, &state, context)
        }
    }
}
