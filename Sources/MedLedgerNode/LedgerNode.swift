import Foundation
import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerContracts
import MedLedgerStorage

/// One node: owns the ledger state, the mempool, the stores and the block producer.
/// All mutation goes through this actor, so blocks are produced and applied one at a time.
public actor LedgerNode {
    public nonisolated let genesis: Genesis
    public nonisolated let engine: ContractEngine
    public nonisolated let validators: ValidatorSet
    let nodeKeys: IdentityKeys
    public nonisolated let nodeID: IdentityID
    let store: any LedgerDatabase
    public nonisolated let blobs: FileBlobStore
    let logger: Logger
    public nonisolated let configuration: NodeConfiguration
    /// Block validity and time rules of this chain (shared with `verify` and the simulator).
    public nonisolated let blockRules: BlockValidator
    /// Operators' counters (see `NodeMetrics`); never read by consensus or the contracts.
    public nonisolated let metrics: NodeMetrics
    /// Transactions whose signatures this node verified lately, shared by the block check
    /// and the gossip checks so neither verifies what the other did (`VerifiedSignatures`).
    public nonisolated let verifiedSignatures = VerifiedSignatures()

    var state: LedgerState
    var mempool = Mempool()
    var latestHeader: BlockHeader?
    /// The certificate of the latest block; the next block carries it.
    var latestCertificate: CommitCertificate?
    /// Where locally submitted transactions are gossiped (multi-validator networks).
    var gossip: PeerNetwork?
    /// Submitted transactions on their way to `gossip`, gathered into few messages.
    var gossipOutbox: GossipOutbox
    /// Set when a block could not be persisted: the in-memory state is then ahead of the
    /// disk, so the node stops accepting work until restarted (it reloads from disk).
    var haltReason: String?
    /// When this node last committed a block (or started), on the monotonic clock: how long
    /// a stalled node has been stalled, for the key-release window.
    var lastCommitInstant = ContinuousClock.now
    /// When this process last committed a block, for the block-interval metric (none yet
    /// after a start, so a restart's downtime is not counted as one long interval).
    var previousCommitInstant: ContinuousClock.Instant?
    /// Uploaded blobs that no committed report points to yet.
    var blobQuota = BlobQuota()
    /// Fetches blobs from peers and serves them (multi-validator networks; see `BlobReplicator`).
    var replicator: BlobReplicator?
    /// Set when this node may hold blobs it has not attested (start, a commit naming blobs, a
    /// fetch), so the attestation scan over every report runs only then.
    var attestationScanNeeded = true
    /// Wakes whoever waits for a transaction's commit (HTTP `wait=commit`, the local gateway).
    public nonisolated let commits = CommitFeed()
    /// Wakes the event streams when a block commits (see `HeightFeed`).
    public nonisolated let heights = HeightFeed()
    /// Wakes the single-validator block producer when a transaction is admitted.
    nonisolated let arrivals = WakeSignal()
    /// The wall clock for blob collection (tests set their own).
    let blobClock: @Sendable () -> WallClockTime

    /// Opens an initialized data directory; the state comes back from disk with the same root.
    /// - Parameter store: where the ledger lives; nil opens the embedded SQLite store in the
    ///   data directory (`ledger.sqlite`). `node start --database postgres://…` passes a
    ///   `PostgresLedgerStore`. Keys, genesis and blobs stay in the data directory either way.
    public init(
        dataDirectory: DataDirectory, store: (any LedgerDatabase)? = nil, configuration: NodeConfiguration = .init(),
        logger: Logger = Logger(label: "medledger.node"),
        blobClock: @escaping @Sendable () -> WallClockTime = SystemClock.now,
        metrics: NodeMetrics = .disabled
    ) throws {
        guard dataDirectory.isInitialized else {
            throw NodeError(
                .notFound, field: "data-dir",
                "\(dataDirectory.url.path) has no genesis.json; run `medledger node init` or `medledger demo` first")
        }
        let genesis = try Genesis.load(from: dataDirectory.genesisFile)
        let keyFile = try KeyFile.load(dataDirectory.nodeKeyFile)
        let keys = try keyFile.keys()
        guard genesis.validatorSet.member(keys.identityID) != nil else {
            throw NodeError(.invalid, field: "node-key", "this node's key is not a validator of the genesis")
        }
        self.genesis = genesis
        self.engine = ContractEngine(genesis: genesis)
        self.validators = genesis.validatorSet
        self.nodeKeys = keys
        self.nodeID = keys.identityID
        self.store = try store ?? LedgerStore(dataDirectory: dataDirectory.url)
        self.blobs = try FileBlobStore(dataDirectory: dataDirectory.url)
        self.logger = logger
        self.configuration = configuration
        self.gossipOutbox = GossipOutbox(windowMilliseconds: configuration.gossipWindowMilliseconds)
        self.blobClock = blobClock
        self.metrics = metrics
        self.blockRules = BlockValidator(genesis: genesis)
        if let stored = try self.store.loadGenesis() {
            guard stored.hash == genesis.hash else {
                throw NodeError(
                    .invalid, field: "genesis", "genesis.json differs from the genesis this ledger was started with")
            }
        } else {
            try self.store.saveGenesis(genesis)
        }
        let (state, latest) = try Self.restore(store: self.store, engine: engine, genesis: genesis)
        self.state = state
        self.latestHeader = latest?.header
        self.latestCertificate = latest?.certificate
        self.blobQuota = try Self.unreferencedBlobs(in: blobs, state: state, now: blobClock())
        heights.publish(latest?.header.height ?? 0)
    }

    /// Loads state and latest header, and checks the state root against the header.
    static func restore(store: any LedgerDatabase, engine: ContractEngine, genesis: Genesis) throws -> (
        LedgerState, StoredBlock?
    ) {
        let height = try store.latestHeight
        guard height > 0 else { return (engine.genesisState(genesis), nil) }
        guard let latest = try store.block(at: height) else {
            throw NodeError(.internalFailure, "block \(height) is marked committed but missing")
        }
        var state = try LedgerState.load(entries: store.allState())
        let root = state.stateRoot()
        guard root == latest.header.stateRoot else {
            throw NodeError(
                .internalFailure,
                "stored state root \(root) differs from block \(height)'s \(latest.header.stateRoot); run `medledger verify`"
            )
        }
        return (state, latest)
    }

    public var height: Height { latestHeader?.height ?? 0 }
    public var latestBlockHash: Hash256 { latestHeader?.hash ?? genesis.hash }
    /// The consensus time of the latest block (the genesis time before block 1).
    public var consensusTime: ConsensusTime { latestHeader?.time ?? genesis.genesisTime }
    /// The consensus time the next block will carry (the median of our latest certificate's
    /// precommit times): roughly when the latest block was committed.
    public var nextBlockTime: ConsensusTime {
        Block.expectedTime(
            height: height + 1, genesisTime: genesis.genesisTime, lastCommit: latestCertificate,
            validators: validators)
    }
    public var appHash: Hash256 { latestHeader?.stateRoot ?? Hash256.zero }
    public var pendingCount: Int { mempool.count }
    /// The validator keys, for the consensus driver's signer (same process only).
    var keysForConsensus: IdentityKeys { nodeKeys }

    /// Admits a signed transaction to the mempool; returns its hash.
    /// - Parameter decodedFromBytes: true when the caller decoded `tx` from wire bytes.
    @discardableResult
    /// - Parameter signatureVerified: true when the caller verified the signature already
    ///   (see `verifiedSignatures`); the node actor then spends no time on it.
    public func submit(
        _ tx: Transaction, decodedFromBytes: Bool = false,
        signatureVerified: Bool = false
    ) throws(NodeError) -> Hash256 {
        try admitSubmitted(tx, decodedFromBytes: decodedFromBytes, signatureVerified: signatureVerified)
        queueGossip([tx])
        return tx.hash
    }

    /// Admits several decoded transactions in one step; each gets its own outcome.
    /// - Parameter transactions: decoded transactions whose signatures the caller verified.
    public func submitBatch(_ transactions: [Transaction]) -> [Result<Hash256, NodeError>] {
        let results = transactions.map { tx -> Result<Hash256, NodeError> in
            do throws(NodeError) {
                try admitSubmitted(tx, decodedFromBytes: true, signatureVerified: true)
                return .success(tx.hash)
            } catch { return .failure(error) }
        }
        queueGossip(
            zip(transactions, results).compactMap { pair -> Transaction? in
                if case .success = pair.1 { return pair.0 } else { return nil }
            })
        return results
    }

    /// A client's transaction into the mempool; wakes the single-validator producer.
    private func admitSubmitted(_ tx: Transaction, decodedFromBytes: Bool, signatureVerified: Bool) throws(NodeError) {
        if let haltReason { throw NodeError(.unavailable, "node halted: \(haltReason)") }
        do {
            try mempool.admit(
                tx, engine: engine, state: state, decodedFromBytes: decodedFromBytes,
                signatureVerified: signatureVerified, submittedHere: true)
        } catch {
            // A committed transaction fails admission (its nonce is used); only then is the
            // store searched, to say where it was committed.
            if let stored = try? store.transaction(hash: tx.hash) {
                throw NodeError(
                    .conflict, field: "tx", "transaction already committed at height \(stored.height)",
                    code: .staleNonce)
            }
            throw error
        }
        arrivals.signal()
    }

    /// Gossips every transaction submitted here to the other validators' mempools.
    public func attachGossip(_ network: PeerNetwork) { gossip = network }

    /// Hands admitted transactions to the outbox; sends what it releases, and sets a timer
    /// for the rest of its window when it asks. Held transactions are already in the
    /// mempool, so this node proposes them in its turn whatever becomes of the gossip.
    func queueGossip(_ transactions: [Transaction]) {
        guard gossip != nil else { return }
        let now = Self.monotonicMilliseconds()
        let step = gossipOutbox.add(transactions, now: now)
        sendGossip(step.messages)
        if let due = step.flushAt {
            let delay = due - min(due, now)
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(delay))
                await self?.flushGossip()
            }
        }
    }

    private func flushGossip() {
        sendGossip(gossipOutbox.flush(now: Self.monotonicMilliseconds()))
    }

    private func sendGossip(_ messages: [[Transaction]]) {
        guard let gossip else { return }
        for message in messages { _ = gossip.broadcast(.transactions(message)) }
    }

    private static func monotonicMilliseconds() -> UInt64 { DispatchTime.now().uptimeNanoseconds / 1_000_000 }
}

/// Tunables of a node's block producer.
public struct NodeConfiguration: Sendable {
    /// How long the producer waits to collect a batch once a transaction is pending.
    public var batchDelayMilliseconds: UInt64
    /// How often an idle node seals an empty block, so time-based rules advance.
    public var emptyBlockIntervalMilliseconds: UInt64
    /// Most transactions in one block.
    public var maxTransactionsPerBlock: Int
    /// How long after its access receipt a reader may fetch the re-wrapped key.
    public var keyReleaseWindowMilliseconds: UInt64
    /// How long a submitted transaction may wait to be gossiped with later ones (`GossipOutbox`).
    public var gossipWindowMilliseconds: UInt64

    public init(
        batchDelayMilliseconds: UInt64 = 20, emptyBlockIntervalMilliseconds: UInt64 = 1_000,
        maxTransactionsPerBlock: Int = Limits.blockMaxTransactions,
        keyReleaseWindowMilliseconds: UInt64 = 10 * 60 * 1_000, gossipWindowMilliseconds: UInt64 = 10
    ) {
        precondition(maxTransactionsPerBlock > 0 && maxTransactionsPerBlock <= Limits.blockMaxTransactions)
        self.batchDelayMilliseconds = batchDelayMilliseconds
        self.emptyBlockIntervalMilliseconds = emptyBlockIntervalMilliseconds
        self.maxTransactionsPerBlock = maxTransactionsPerBlock
        self.keyReleaseWindowMilliseconds = keyReleaseWindowMilliseconds
        self.gossipWindowMilliseconds = gossipWindowMilliseconds
    }
}
