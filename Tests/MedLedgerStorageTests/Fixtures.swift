import Foundation
import MedLedgerCore
import MedLedgerStorage

/// A fresh directory under the system's temporary directory, removed when dropped.
final class TemporaryDirectory {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory
            .appendingPathComponent("medledger-storage-tests-\(UUID().uuidString)", isDirectory: true)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(at: url) }
}

/// One block ready to commit, with what the store needs beside it.
struct BlockFixture {
    let block: Block
    let certificate: CommitCertificate
    let receipts: [TransactionReceipt]
    let stateChanges: [StateChange]
}

/// Builds a small chain from Core types: patients registering themselves, signed by
/// deterministic keys, finalized by one deterministic validator.
enum Fixtures {
    static let chainID = "medledger-storage-test"
    static let validatorKeys = IdentityKeys.deterministic(seed: "validator-1")
    static let validator = Validator(
        name: "node-1", signingKey: validatorKeys.publicSigningKey,
        encryptionKey: validatorKeys.publicEncryptionKey, power: 10)
    static let validators = ValidatorSet([validator])
    static let genesisTime = ConsensusTime(milliseconds: 1_767_225_600_000)

    static let genesis = Genesis(chainID: chainID, genesisTime: genesisTime, validators: [validator], organizations: [])

    static func patientKeys(height: Height, index: Int) -> IdentityKeys {
        IdentityKeys.deterministic(seed: "patient-\(height)-\(index)")
    }

    static func registerPatient(_ keys: IdentityKeys) -> Transaction {
        let payload = TransactionPayload.registerPatient(
            RegisterPatient(keys: keys))
        return Transaction(chainID: chainID, signer: keys.identityID, keys: keys, nonce: 1, payload: payload)
    }

    static func receipt(registering keys: IdentityKeys) -> TransactionReceipt {
        .accepted([.identityRegistered(identity: keys.identityID, kind: .patient, organization: nil)])
    }

    /// A block at `height` on top of `previous`, with `count` patient registrations and
    /// one state entry per patient.
    static func block(
        height: Height, previous: Hash256, lastCommit: CommitCertificate? = nil, count: Int = 2,
        extra: [(Transaction, TransactionReceipt)] = []
    ) -> BlockFixture {
        let keys = (0..<count).map { patientKeys(height: height, index: $0) }
        let pairs = keys.map { (registerPatient($0), receipt(registering: $0)) } + extra
        let transactions = pairs.map(\.0)
        let receipts = pairs.map(\.1)
        let header = BlockHeader(
            chainID: chainID, height: height, time: genesisTime.adding(milliseconds: height.rawValue * 1_000),
            previousBlockHash: previous, lastCommitHash: Block.lastCommitHash(lastCommit),
            transactionsRoot: Block.transactionsRoot(transactions),
            resultsRoot: Merkle.root(leaves: receipts.map(\.hash.bytes)),
            stateRoot: Hash256.of(Array("state-\(height)".utf8)), validatorsHash: validators.hash,
            proposer: validator.id)
        let changes = keys.map {
            StateChange(key: Array("identity/".utf8) + $0.identityID.hash.bytes, value: [1, UInt8(height.rawValue)])
        }
        return BlockFixture(
            block: Block(header: header, lastCommit: lastCommit, transactions: transactions),
            certificate: certificate(for: header), receipts: receipts, stateChanges: changes)
    }

    static func certificate(for header: BlockHeader) -> CommitCertificate {
        let precommit = Precommit.vote(
            chainID: chainID, height: header.height, round: 0, blockHash: header.hash,
            time: ConsensusTime(milliseconds: 0))
        let signature = CommitSignature(
            validator: validator.id, time: precommit.time,
            signature: validatorKeys.sign(precommit.canonicalBytes))
        return CommitCertificate(height: header.height, round: 0, blockHash: header.hash, signatures: [signature])
    }

    /// Heights 1…count, each linked to the one before, genesis first.
    static func chain(count: Int) -> [BlockFixture] {
        var fixtures = [BlockFixture]()
        var previous = genesis.hash
        for height in 1...UInt64(count) {
            let fixture = block(height: Height(height), previous: previous, lastCommit: fixtures.last?.certificate)
            fixtures.append(fixture)
            previous = fixture.block.hash
        }
        return fixtures
    }
}

extension LedgerDatabase {
    func commit(_ fixture: BlockFixture) throws {
        try commit(
            fixture.block, certificate: fixture.certificate, receipts: fixture.receipts,
            stateChanges: fixture.stateChanges)
    }
}
