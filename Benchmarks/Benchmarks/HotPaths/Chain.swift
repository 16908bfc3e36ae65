import MedLedgerContracts
import MedLedgerCore

/// A one-validator chain after its first block, and the transactions the benchmarks feed it.
/// Keys are deterministic, so every run measures the same bytes.
struct Chain: Sendable {
    static let chainID = "medledger-benchmarks"
    static let genesisTime = ConsensusTime(milliseconds: 1_767_225_600_000)
    /// The block the benchmarks execute: after block 1, one second later.
    static let context = BlockContext(height: 2, time: ConsensusTime(milliseconds: 1_767_225_601_000))

    let validator = IdentityKeys.deterministic(seed: "bench-validator")
    let organization = IdentityKeys.deterministic(seed: "bench-organization")
    let genesis: Genesis
    let engine: ContractEngine
    /// The state after block 1 (the genesis entries committed), pending layer empty.
    let committed: LedgerState

    init() {
        genesis = Genesis(
            chainID: Chain.chainID, genesisTime: Chain.genesisTime,
            validators: [
                Validator(
                    name: "validator-1", signingKey: validator.publicSigningKey,
                    encryptionKey: validator.publicEncryptionKey, power: 1)
            ],
            organizations: [
                GenesisOrganization(
                    name: "organization-1", signingKey: organization.publicSigningKey,
                    encryptionKey: organization.publicEncryptionKey)
            ])
        precondition(genesis.problem() == nil, "benchmark genesis: \(genesis.problem() ?? "")")
        engine = ContractEngine(genesis: genesis)
        var state = engine.genesisState(genesis)
        _ = state.takeChanges()
        _ = state.stateRoot()
        state.foldPending()
        committed = state
    }

    /// `count` fresh patients registering themselves, signed: the load `medledger bench` sends.
    static func selfRegistrations(count: Int, seed: String = "patient") -> [Transaction] {
        (0..<count).map { index in
            let keys = IdentityKeys.deterministic(seed: "\(seed)-\(index)")
            return Transaction(
                chainID: chainID, signer: keys.identityID, keys: keys, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: keys)))
        }
    }

    /// Block 1 carrying `transactions`, so its body has no last commit (a later block's body
    /// also carries the previous block's certificate, one signature per validator). Only the
    /// body is encoded and decoded here, so the header's other roots are left zero.
    func block(_ transactions: [Transaction]) -> Block {
        let header = BlockHeader(
            chainID: Chain.chainID, height: 1, time: Chain.genesisTime, previousBlockHash: .zero,
            lastCommitHash: .zero, transactionsRoot: Block.transactionsRoot(transactions), resultsRoot: .zero,
            stateRoot: .zero, validatorsHash: genesis.validatorSet.hash, proposer: validator.identityID)
        return Block(header: header, lastCommit: nil, transactions: transactions)
    }
}

extension Chain {
    /// The committed state with `identities` more patients, loaded as a restarted node loads
    /// its state. The records share one key pair and differ in their ids (derived from the
    /// index): the state tree sees only keys and value bytes, and deriving 10^6 key pairs
    /// would dominate the setup.
    func grown(identities: Int) -> LedgerState {
        var genesisState = engine.genesisState(genesis)
        var entries = genesisState.takeChanges().compactMap { entry in entry.value.map { (key: entry.key, value: $0) } }
        entries.reserveCapacity(entries.count + identities)
        let keys = IdentityKeys.deterministic(seed: "grown")
        for index in 0..<identities {
            let id = IdentityID(hash: Hash256.of(Array("grown-\(index)".utf8)))
            let record = IdentityRecord(
                id: id, kind: .patient, signingKey: keys.publicSigningKey,
                encryptionKey: keys.publicEncryptionKey, organization: nil, roles: [], lastNonce: 1, registeredAt: 1)
            entries.append((key: StateKey.identity(record.id).bytes, value: record.canonicalBytes))
        }
        do {
            var state = try LedgerState.load(entries: entries)
            _ = state.stateRoot()
            return state
        } catch {
            preconditionFailure("loading the grown state: \(error)")
        }
    }
}
