import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage

/// A single-validator node in a fresh temporary directory, with deterministic keys for a
/// hospital, a lab, their staff and a patient. Tests drive blocks by hand with
/// `produceBlock(wallClock:)`, so nothing depends on timing.
public struct TestNode: Sendable {
    public let node: LedgerNode
    public let directory: DataDirectory
    public let hospital: ClientIdentity
    public let lab: ClientIdentity
    public let genesisTime: ConsensusTime

    public static let chainID = "medledger-test"

    public static func make(
        label: String = #function, configuration: NodeConfiguration = .init(),
        blobClock: @escaping @Sendable () -> WallClockTime = SystemClock.now, metrics: NodeMetrics = .disabled
    ) throws -> TestNode {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("medledger-test-\(UUID().uuidString)", isDirectory: true)
        let directory = DataDirectory(url)
        let hospital = ClientIdentity(label: "hospital", keys: .deterministic(seed: "hospital"))
        let lab = ClientIdentity(label: "lab", keys: .deterministic(seed: "lab"))
        let nodeKeys = IdentityKeys.deterministic(seed: "node0")
        let time = ConsensusTime(milliseconds: 1_795_000_000_000)
        let genesis = SingleValidatorGenesis.make(
            chainID: chainID, time: time, nodeKeys: nodeKeys,
            organizations: [("Hospital", hospital.keys), ("Lab", lab.keys)])
        try directory.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node0", keys: nodeKeys))
        return TestNode(
            node: try LedgerNode(
                dataDirectory: directory, configuration: configuration, blobClock: blobClock, metrics: metrics),
            directory: directory,
            hospital: hospital, lab: lab, genesisTime: time)
    }

    /// A person with deterministic keys (not registered yet).
    public static func person(_ seed: String) -> ClientIdentity {
        ClientIdentity(label: seed, keys: .deterministic(seed: seed))
    }

    /// Signs a transaction for `signer` with the node's next nonce for them.
    public func transaction(_ signer: ClientIdentity, _ payload: TransactionPayload, nonce: Nonce? = nil) async
        -> Transaction
    {
        let next = await node.nextNonce(for: signer.id)
        return Transaction(
            chainID: Self.chainID, signer: signer.id, keys: signer.keys, nonce: nonce ?? next, payload: payload)
    }

    /// Submits, seals one block at `genesisTime + offset` (default: one second per height)
    /// and returns the transaction's receipt.
    @discardableResult
    public func commit(_ tx: Transaction, atOffsetMilliseconds offset: UInt64? = nil) async throws -> TransactionReceipt
    {
        try await node.submit(tx)
        try await seal(atOffsetMilliseconds: offset)
        guard case .committed(let stored) = try await node.transactionStatus(tx.hash) else {
            throw NodeError(.internalFailure, "transaction \(tx.hash) not in the produced block")
        }
        return stored.receipt
    }

    /// Seals one block (possibly empty) with the validator's clock at `genesisTime + offset`.
    /// That clock reading goes into the block's precommit, so it becomes the *next* block's
    /// consensus time (BFT time: the median of the previous block's precommit times).
    @discardableResult
    public func seal(atOffsetMilliseconds offset: UInt64? = nil) async throws -> StoredBlock {
        let height = await node.height
        return try await node.produceBlock(
            wallClock: genesisTime.adding(milliseconds: offset ?? (height + 1).rawValue * 1_000))
    }

    public func remove() { try? FileManager.default.removeItem(at: directory.url) }
}
