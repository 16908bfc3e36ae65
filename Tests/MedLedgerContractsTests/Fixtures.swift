import MedLedgerCore
import MedLedgerContracts

/// A party with keys. `id` is fixed at registration; `keys` are the current keys.
struct Party {
    let name: String
    var keys: IdentityKeys
    let id: IdentityID

    init(_ name: String, suite: EncryptionSuite = .x25519) {
        self.name = name
        self.keys = IdentityKeys.deterministic(seed: name, suite: suite)
        self.id = keys.identityID
    }
}

/// A chain with one validator and three organizations, driven one transaction at a time.
/// Nonces are tracked per signer; block height and time are set by the test.
struct Ledger {
    static let chainID = "medledger-contracts-test"
    static let genesisTime = ConsensusTime(milliseconds: 1_767_225_600_000)

    let validator = Party("validator-1")
    let orgA = Party("org-a")
    let orgB = Party("org-b")
    let orgC = Party("org-c")

    let genesis: Genesis
    let engine: ContractEngine
    var state: LedgerState
    var nonces: [IdentityID: Nonce] = [:]
    var height: Height = 1
    var time = ConsensusTime(milliseconds: 1_767_225_600_000 + 60_000)
    var context: BlockContext { BlockContext(height: height, time: time) }

    /// - Parameter storage: the genesis storage section (replication and residency).
    init(storage: (_ validator: IdentityID, _ orgs: [IdentityID]) -> GenesisStorage? = { _, _ in nil }) {
        let storage = storage(validator.id, [orgA.id, orgB.id, orgC.id])
        genesis = Genesis(
            chainID: Ledger.chainID, genesisTime: Ledger.genesisTime,
            validators: [
                Validator(
                    name: "validator-1", signingKey: validator.keys.publicSigningKey,
                    encryptionKey: validator.keys.publicEncryptionKey, power: 1)
            ],
            organizations: [orgA, orgB, orgC].map {
                GenesisOrganization(
                    name: $0.name, signingKey: $0.keys.publicSigningKey,
                    encryptionKey: $0.keys.publicEncryptionKey)
            }, storage: storage)
        precondition(genesis.problem() == nil)
        engine = ContractEngine(genesis: genesis)
        state = engine.genesisState(genesis)
    }

    /// The next nonce for a signer, remembered as used.
    mutating func nextNonce(_ signer: IdentityID) -> Nonce {
        let nonce = (nonces[signer] ?? 0).next
        nonces[signer] = nonce
        return nonce
    }

    /// Signs a transaction with the party's current keys and its next nonce.
    mutating func tx(
        _ signer: Party, _ payload: TransactionPayload, nonce: Nonce? = nil,
        keys: IdentityKeys? = nil, chainID: String = Ledger.chainID
    ) -> Transaction {
        let used = nonce ?? nextNonce(signer.id)
        if let nonce { nonces[signer.id] = max(nonces[signer.id] ?? 0, nonce) }
        return Transaction(
            chainID: chainID, signer: signer.id, keys: keys ?? signer.keys, nonce: used, payload: payload)
    }

    @discardableResult
    mutating func apply(_ tx: Transaction, signatureVerified: Bool = false) -> TransactionReceipt {
        engine.apply(tx, to: &state, context: context, signatureVerified: signatureVerified)
    }

    @discardableResult
    mutating func apply(_ signer: Party, _ payload: TransactionPayload) -> TransactionReceipt {
        let transaction = tx(signer, payload)
        return apply(transaction)
    }

    // MARK: - Identities

    /// Registers a practitioner of `org` (signed by the organization key).
    @discardableResult
    mutating func registerPractitioner(_ name: String, of org: Party, roles: [Role]) -> Party {
        let party = Party(name)
        let receipt = apply(
            org,
            .registerPractitioner(
                RegisterPractitioner(
                    organization: org.id, signingKey: party.keys.publicSigningKey,
                    encryptionKey: party.keys.publicEncryptionKey, roles: roles)))
        precondition(receipt.code == .ok, "registering \(name): \(receipt.code.rawValue) \(receipt.sentence)")
        return party
    }

    /// A patient registers with their own key.
    @discardableResult
    mutating func registerPatient(_ name: String, suite: EncryptionSuite = .x25519) -> Party {
        let party = Party(name, suite: suite)
        let receipt = apply(party, .registerPatient(RegisterPatient(keys: party.keys)))
        precondition(receipt.code == .ok, "registering \(name): \(receipt.code.rawValue) \(receipt.sentence)")
        return party
    }

    // MARK: - Reports

    static func reportID(_ n: UInt8) -> ReportID { ReportID(bytes: [UInt8](repeating: n, count: 15) + [0xAA])! }
    static func grantID(_ n: UInt8) -> GrantID { GrantID(bytes: [UInt8](repeating: n, count: 15) + [0xBB])! }

    /// Content with envelopes for the patient, the author, every custodian and `extra`, minus
    /// `omit`, and one share commitment per custodian (`shares` overrides how many).
    func content(
        patient: IdentityID, author: IdentityID, extra: [IdentityID] = [], omit: IdentityID? = nil,
        tag: String = "v1", shares: Int? = nil
    ) -> ReportContent {
        let recipients = ([patient, author] + engine.custodians + extra).filter { $0 != omit }
        return ReportContent(
            contentAddress: Hash256.of(Array("ciphertext-\(tag)".utf8)), sizeBytes: 2_048,
            commitment: Hash256.of(Array("commitment-\(tag)".utf8)),
            encryptedMetadata: Array("sealed-\(tag)".utf8).map { $0 ^ 0x5a },
            envelopes: recipients.map {
                // As long as the recipient's suite's encapsulation (ADR 11), as a client seals.
                let suite = state.identity($0)?.encryptionKey.suite ?? .x25519
                return KeyEnvelope(
                    recipient: $0, encapsulatedKey: [UInt8](repeating: 1, count: suite.encapsulatedKeyByteCount),
                    wrappedKey: [UInt8](repeating: 2, count: 48))
            },
            shareCommitments: (0..<(shares ?? engine.custodians.count)).map {
                Hash256.of(Array("share-\(tag)-\($0 + 1)".utf8))
            })
    }

    func submitPayload(
        _ report: ReportID, patient: Party, author: Party, category: String = "LAB",
        recipients: [IdentityID] = [], omit: IdentityID? = nil
    ) -> TransactionPayload {
        .submitReport(
            SubmitReport(
                report: report, patient: patient.id, category: Code(category)!,
                content: content(patient: patient.id, author: author.id, omit: omit),
                recipients: recipients))
    }

    @discardableResult
    mutating func submit(
        _ report: ReportID, patient: Party, author: Party, category: String = "LAB",
        recipients: [IdentityID] = []
    ) -> TransactionReceipt {
        apply(
            author, submitPayload(report, patient: patient, author: author, category: category, recipients: recipients))
    }

    @discardableResult
    mutating func approve(_ report: ReportID, version: ReportVersion = 1, by approver: Party) -> TransactionReceipt {
        apply(approver, .approveReport(ApproveReport(report: report, version: version)))
    }

    @discardableResult
    mutating func read(
        _ report: ReportID, version: ReportVersion = 1, by reader: Party,
        purpose: Purpose = .treatment
    ) -> TransactionReceipt {
        apply(reader, .accessReport(AccessReport(report: report, version: version, purpose: purpose)))
    }

    @discardableResult
    mutating func grant(
        _ grant: GrantID, patient: Party, to grantee: IdentityID, scope: GrantScope = .allReports,
        purpose: Purpose = .treatment, from: ConsensusTime? = nil, until: ConsensusTime? = nil,
        signedBy signer: Party? = nil
    ) -> TransactionReceipt {
        apply(
            signer ?? patient,
            .grantAccess(
                GrantAccess(
                    grant: grant, patient: patient.id, grantee: grantee, scope: scope,
                    purpose: purpose, validFrom: from, validUntil: until)))
    }

    /// Takes the pending changes and returns the state root.
    mutating func root() -> Hash256 {
        _ = state.takeChanges()
        return state.stateRoot()
    }
}

/// The standard cast: practitioners of org A and org B, two patients.
struct Cast {
    var ledger: Ledger
    let authorA: Party  // author
    let approverA: Party  // approver
    let seniorA: Party  // author + approver (self-approves)
    let readerA: Party  // reader
    let adminA: Party  // admin
    let approverB: Party  // approver of another organization
    let readerB: Party  // reader of org B
    let authorB: Party  // author of org B (no reader role)
    let patient: Party
    let otherPatient: Party

    init(_ base: Ledger = Ledger()) {
        ledger = base
        authorA = ledger.registerPractitioner("author-a", of: ledger.orgA, roles: [.author])
        approverA = ledger.registerPractitioner("approver-a", of: ledger.orgA, roles: [.approver])
        seniorA = ledger.registerPractitioner("senior-a", of: ledger.orgA, roles: [.author, .approver])
        readerA = ledger.registerPractitioner("reader-a", of: ledger.orgA, roles: [.reader])
        adminA = ledger.registerPractitioner("admin-a", of: ledger.orgA, roles: [.admin])
        approverB = ledger.registerPractitioner("approver-b", of: ledger.orgB, roles: [.approver])
        readerB = ledger.registerPractitioner("reader-b", of: ledger.orgB, roles: [.reader])
        authorB = ledger.registerPractitioner("author-b", of: ledger.orgB, roles: [.author])
        patient = ledger.registerPatient("patient-1")
        otherPatient = ledger.registerPatient("patient-2")
    }
}
