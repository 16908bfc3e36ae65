import Dispatch
import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerStorage
import MedLedgerVault

/// `medledger testnet preload`: fills a fresh `testnet init` directory with a long committed
/// chain, built offline instead of through consensus (which would take hours for 10^6
/// transactions on one machine).
///
/// Each block is built exactly as a proposer builds one (`BlockExecutor.build`: the same
/// contracts, the same BFT time from the previous certificate, the same state root), its
/// commit certificate is signed by every validator's key from `DIR/nodeK/node-key.json`, and
/// it is written with `LedgerStore.commit`, as a node commits. So `verify` and the nodes
/// accept the chain as if the network had made it. The ledger is written once, into node0,
/// and copied to the other nodes; report blobs go to every node that holds them.
///
/// What the blocks carry is `PreloadPlan`'s. The audited patient's key file is written to
/// `DIR/preload/audit-patient.json`, so its access trail can be read as the patient.
public struct ChainPreload {
    public struct Options: Sendable {
        /// Transactions in the whole chain.
        public var transactions: Int
        /// Transactions per block (the node's producer puts up to 2,000 in one).
        public var blockTransactions: Int
        /// Reads in the audited patient's access trail.
        public var auditEvents: Int
        /// Consensus time between blocks: each validator's precommit carries the block's
        /// time plus this, so the next block's time (their median) is this much later.
        public var blockIntervalMilliseconds: UInt64

        public static let maxTransactions = 10_000_000
        public static let defaultBlockTransactions = 1_000
        public static let defaultAuditEvents = 10_000

        public init(
            transactions: Int, blockTransactions: Int = defaultBlockTransactions, auditEvents: Int? = nil,
            blockIntervalMilliseconds: UInt64 = 10
        ) {
            self.transactions = transactions
            self.blockTransactions = blockTransactions
            self.auditEvents = auditEvents ?? min(Self.defaultAuditEvents, transactions / 10)
            self.blockIntervalMilliseconds = blockIntervalMilliseconds
        }

        /// Why these options cannot make a chain, or nil.
        public var problem: String? {
            guard (PreloadPlan.minimumTransactions...Self.maxTransactions).contains(transactions) else {
                return
                    "transactions must be \(PreloadPlan.minimumTransactions)-\(Self.maxTransactions), got \(transactions)"
            }
            guard (8...Limits.blockMaxTransactions).contains(blockTransactions) else {
                return "block transactions must be 8-\(Limits.blockMaxTransactions), got \(blockTransactions)"
            }
            guard auditEvents >= 0, auditEvents <= transactions / 2 else {
                return "audit events must be 0-\(transactions / 2) (half the transactions), got \(auditEvents)"
            }
            guard (1...60_000).contains(blockIntervalMilliseconds) else {
                return "block interval must be 1-60000 ms, got \(blockIntervalMilliseconds)"
            }
            return nil
        }
    }

    /// Where the generator is, after each block.
    public struct Progress: Sendable {
        public let height: Height
        public let blocks: Int
        public let transactions: Int
        public let totalTransactions: Int
    }

    public struct Summary: Sendable {
        public var blocks: Height = 0
        public var transactions = 0
        public var registrations = 0
        public var reports = 0
        /// Access events in the audited patient's trail.
        public var auditEvents = 0
        public var auditPatient: IdentityID?
        /// The state root after the last block: every node must report it as its app hash.
        public var stateRoot: Hash256 = .zero
    }

    let testnet: TestnetFiles
    let options: Options

    /// Reads and checks the testnet directory: a genesis, every validator's key, the
    /// organizations' admin keys, and no block committed yet.
    public init(directory: URL, options: Options) throws {
        if let problem = options.problem { throw NodeError(.invalid, field: "preload", problem) }
        self.testnet = try TestnetFiles(directory: directory)
        self.options = options
    }

    /// Builds and writes the chain; `progress` is called after every block.
    public func run(progress: (Progress) -> Void = { _ in }) throws -> Summary {
        let genesis = testnet.genesis
        let engine = ContractEngine(genesis: genesis)
        let rules = BlockValidator(genesis: genesis)
        let plan = PreloadPlan(
            totalTransactions: options.transactions, blockTransactions: options.blockTransactions,
            auditEvents: options.auditEvents)
        var actors = PreloadActors(testnet: testnet)
        try FileManager.default.createDirectory(
            at: testnet.auditPatientFile.deletingLastPathComponent(), withIntermediateDirectories: true)
        try actors.auditPatientKeyFile.write(to: testnet.auditPatientFile)
        let blobHolders = try testnet.blobStores()
        var summary = Summary()
        summary.auditPatient = actors.auditPatient.identityID
        do {
            let store = try LedgerStore(dataDirectory: testnet.nodes[0].url)
            try store.saveGenesis(genesis)
            var state = engine.genesisState(genesis)
            var tip = ChainTip.genesis(genesis)
            var lastCommit: CommitCertificate?
            var readsIssued = 0
            for height in 1...plan.blockCount {
                let items = plan.items(
                    height: height, issued: summary.transactions, readsIssued: readsIssued,
                    episodePatientReady: actors.episodePatient != nil)
                let signed = try actors.sign(items, chainID: genesis.chainID, blobs: blobHolders)
                let built = BlockExecutor.build(
                    after: tip, lastCommit: lastCommit, candidates: signed.transactions,
                    maxTransactions: Limits.blockMaxTransactions, proposer: testnet.proposer(height: height),
                    rules: rules, state: &state, engine: engine)
                try Self.checkAllAccepted(built, expected: signed.transactions.count)
                let certificate = testnet.certificate(
                    for: built.block.header,
                    precommitTime: built.block.header.time.adding(
                        milliseconds: options.blockIntervalMilliseconds))
                try store.commit(
                    built.block, certificate: certificate, receipts: built.execution.receipts,
                    stateChanges: built.execution.changes.map { StateChange(key: $0.key, value: $0.value) })
                state.foldPending()
                tip = ChainTip(header: built.block.header)
                lastCommit = certificate
                actors.episodePatient = signed.lastRegistered
                readsIssued += signed.auditReads
                summary.blocks = built.block.header.height
                summary.transactions += signed.transactions.count
                summary.registrations += signed.registrations
                summary.reports += signed.reports
                summary.auditEvents = readsIssued
                summary.stateRoot = built.block.header.stateRoot
                progress(
                    Progress(
                        height: summary.blocks, blocks: plan.blockCount, transactions: summary.transactions,
                        totalTransactions: options.transactions))
            }
        }
        // The store is closed here (its SQLite checkpoint folds the WAL into the file).
        try testnet.copyLedgerToOtherNodes()
        return summary
    }

    /// A generator bug would otherwise write a chain full of refusals.
    private static func checkAllAccepted(_ built: BuiltBlock, expected: Int) throws {
        guard built.block.transactions.count == expected else {
            throw NodeError(
                .internalFailure,
                "preload: only \(built.block.transactions.count) of \(expected) transactions fit a block")
        }
        if let refused = built.execution.receipts.enumerated().first(where: { !$0.element.code.isSuccess }) {
            throw NodeError(
                .internalFailure,
                "preload: transaction \(refused.offset) of block \(built.block.header.height) was refused "
                    + "(\(refused.element.code))")
        }
    }
}

/// A `testnet init` directory as the preload reads it.
struct TestnetFiles {
    let directory: URL
    let genesis: Genesis
    /// node0 … node{n-1}, in validator-set order of their keys.
    let nodes: [DataDirectory]
    /// Each validator's keys, in validator-set order (the certificate's signers).
    let validatorKeys: [IdentityKeys]
    /// The organizations' admin keys, in genesis order.
    let organizationKeys: [IdentityKeys]

    var auditPatientFile: URL { directory.appendingPathComponent("preload/audit-patient.json") }

    init(directory: URL) throws {
        self.directory = directory
        let genesisFile = directory.appendingPathComponent("genesis.json")
        guard FileManager.default.fileExists(atPath: genesisFile.path) else {
            throw NodeError(
                .notFound, field: "dir", "\(directory.path) has no genesis.json; run `medledger testnet init` first")
        }
        let genesis = try Genesis.load(from: genesisFile)
        self.genesis = genesis
        let validators = genesis.validatorSet.validators
        var keysByID = [IdentityID: (DataDirectory, IdentityKeys)]()
        for index in validators.indices {
            let node = DataDirectory(directory.appendingPathComponent("node\(index)"))
            guard FileManager.default.fileExists(atPath: node.nodeKeyFile.path) else {
                throw NodeError(.notFound, field: "dir", "\(node.nodeKeyFile.path) is missing")
            }
            let keys = try KeyFile.load(node.nodeKeyFile).keys()
            guard validators.contains(where: { $0.id == keys.identityID }) else {
                throw NodeError(.invalid, field: "dir", "\(node.nodeKeyFile.path) is not a validator of the genesis")
            }
            try Self.requireNoBlocks(node)
            keysByID[keys.identityID] = (node, keys)
        }
        guard keysByID.count == validators.count else {
            throw NodeError(.invalid, field: "dir", "two node folders hold the same validator key")
        }
        nodes = validators.map { keysByID[$0.id]!.0 }
        validatorKeys = validators.map { keysByID[$0.id]!.1 }
        organizationKeys = try genesis.organizations.indices.map { index in
            let file = directory.appendingPathComponent("org-keys/org\(index).json")
            guard FileManager.default.fileExists(atPath: file.path) else {
                throw NodeError(.notFound, field: "dir", "\(file.path) is missing (an organization admin's key)")
            }
            let keys = try KeyFile.load(file).keys()
            guard keys.identityID == genesis.organizations[index].id else {
                throw NodeError(.invalid, field: "dir", "\(file.path) is not organization \(index) of the genesis")
            }
            return keys
        }
        guard !organizationKeys.isEmpty else {
            throw NodeError(.invalid, field: "dir", "the genesis has no organization to register practitioners")
        }
    }

    /// A preload writes the chain from block 1, so no node may hold a block yet.
    private static func requireNoBlocks(_ node: DataDirectory) throws {
        guard FileManager.default.fileExists(atPath: node.ledgerFile.path) else { return }
        let height = try LedgerStore(dataDirectory: node.url).latestHeight
        guard height == 0 else {
            throw NodeError(
                .conflict, field: "dir",
                "\(node.url.path) already holds \(height) blocks; preload needs a fresh `testnet init` directory")
        }
    }

    /// Takes turns, as Tendermint's proposer rotation does with equal powers.
    func proposer(height: Int) -> IdentityID { validatorKeys[height % validatorKeys.count].identityID }

    /// Every validator precommits the block at `precommitTime` (round 0).
    func certificate(for header: BlockHeader, precommitTime: ConsensusTime) -> CommitCertificate {
        let vote = Precommit.vote(
            chainID: genesis.chainID, height: header.height, round: 0, blockHash: header.hash, time: precommitTime)
        let bytes = vote.canonicalBytes
        return CommitCertificate(
            height: header.height, round: 0, blockHash: header.hash,
            signatures: validatorKeys.map {
                CommitSignature(validator: $0.identityID, time: precommitTime, signature: $0.sign(bytes))
            })
    }

    /// The blob store of every node, by its validator id (reports' blobs go to their holders).
    func blobStores() throws -> [IdentityID: FileBlobStore] {
        var stores = [IdentityID: FileBlobStore]()
        for (node, keys) in zip(nodes, validatorKeys) {
            stores[keys.identityID] = try FileBlobStore(dataDirectory: node.url)
        }
        return stores
    }

    /// Copies node0's closed ledger file to every other node.
    func copyLedgerToOtherNodes() throws {
        let manager = FileManager.default
        let source = nodes[0].ledgerFile
        for node in nodes.dropFirst() {
            for suffix in ["", "-wal", "-shm"] {
                let target = URL(fileURLWithPath: node.ledgerFile.path + suffix)
                if manager.fileExists(atPath: target.path) { try manager.removeItem(at: target) }
            }
            try manager.copyItem(at: source, to: node.ledgerFile)
            let wal = URL(fileURLWithPath: source.path + "-wal")
            if manager.fileExists(atPath: wal.path) {
                try manager.copyItem(at: wal, to: URL(fileURLWithPath: node.ledgerFile.path + "-wal"))
            }
        }
    }
}
