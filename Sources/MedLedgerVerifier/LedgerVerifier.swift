import Foundation
import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

/// The first thing found wrong in a data directory.
public struct VerificationFailure: Error, CustomStringConvertible, Sendable {
    /// What was bad: "block 12", "state entry 02ab…", "blob 9f…".
    public let location: String
    public let reason: String
    public var description: String { "\(location): \(reason)" }
}

/// Checks a node's data directory offline, trusting nothing but the genesis: the hash
/// chain, every commit certificate, every transaction signature, the receipts and state
/// roots (by re-executing every block from genesis), the stored state, and every blob
/// against its address.
public struct LedgerVerifier {
    public struct Summary: Sendable {
        public var blocks: Height = 0
        public var transactions = 0
        public var stateEntries = 0
        public var blobs = 0
    }

    /// Where a verification is: called every `progressEvery` blocks.
    public struct Progress: Sendable {
        public let height: Height
        public let latest: Height
        /// Transactions in blocks 1…height.
        public let transactions: Int
    }

    let directory: DataDirectory
    /// Opens the ledger to check: the directory's SQLite file unless told otherwise.
    let openStore: () throws -> any LedgerDatabase

    /// - Parameter openStore: opens the ledger of a node whose blocks live elsewhere than
    ///   the directory's `ledger.sqlite` (`verify --database postgres://…`); genesis, node key
    ///   and blobs are still read from `directory`.
    public init(directory: DataDirectory, openStore: (() throws -> any LedgerDatabase)? = nil) {
        self.directory = directory
        self.openStore = openStore ?? { try LedgerStore(dataDirectory: directory.url) }
    }

    /// - Parameters:
    ///   - expectedGenesisHash: the genesis the operator trusts (from the consortium, not from
    ///     this directory). Without it the directory's own genesis is the anchor, so a chain
    ///     rewritten from a forged genesis with new validator keys would still pass.
    ///   - progress: called every `progressEvery` blocks, and after the last one.
    public func verify(
        expectedGenesisHash: Hash256? = nil, progressEvery: UInt64 = 1_000,
        progress: (Progress) -> Void = { _ in }
    ) throws(VerificationFailure) -> Summary {
        let genesis: Genesis
        let store: any LedgerDatabase
        do {
            genesis = try Genesis.load(from: directory.genesisFile)
            store = try openStore()
        } catch {
            throw VerificationFailure(location: "data directory", reason: "\(error)")
        }
        try checkGenesis(genesis, store: store, expected: expectedGenesisHash)
        let engine = ContractEngine(genesis: genesis)
        var replay = Replay(genesis: genesis, engine: engine, state: engine.genesisState(genesis))
        var summary = Summary()
        let latest: Height
        do { latest = try store.latestHeight } catch {
            throw VerificationFailure(location: "ledger", reason: "\(error)")
        }
        // Blocks are read, decoded and their signatures checked ahead, on other threads.
        let prefetch = BlockPrefetch(store: store, latest: latest)
        prefetch.start()
        defer { prefetch.stop() }
        var height: Height = 1
        while height <= latest {
            summary.transactions += try replay.check(prefetch.take(height), store: store)
            if height.rawValue % progressEvery == 0 || height == latest {
                progress(Progress(height: height, latest: latest, transactions: summary.transactions))
            }
            height += 1
        }
        summary.blocks = latest
        try checkNothingBeyond(latest, store: store)
        try checkLookupIndexes(store: store)
        summary.stateEntries = try checkStoredState(replay.state, store: store, latest: latest)
        summary.blobs = try checkBlobs(replay.state, placement: engine.blobPlacement, replaced: replay.replacedBlobs)
        return summary
    }

    /// genesis.json, the genesis the ledger stored when it started, and the one the operator
    /// expects must all be the same.
    private func checkGenesis(_ genesis: Genesis, store: any LedgerDatabase, expected: Hash256?)
        throws(VerificationFailure)
    {
        if let expected, genesis.hash != expected {
            throw VerificationFailure(
                location: "genesis",
                reason: "genesis.json hashes to \(genesis.hash), expected \(expected)")
        }
        let stored: Genesis?
        do { stored = try store.loadGenesis() } catch {
            throw VerificationFailure(location: "genesis", reason: "stored genesis: \(error)")
        }
        if let stored, stored.hash != genesis.hash {
            throw VerificationFailure(
                location: "genesis",
                reason: "genesis.json (\(genesis.hash)) differs from the genesis stored in the ledger (\(stored.hash))")
        }
    }

    /// No block, transaction or index row may sit at a height that was never committed.
    private func checkNothingBeyond(_ latest: Height, store: any LedgerDatabase) throws(VerificationFailure) {
        let stray: [(table: String, count: Int)]
        do { stray = try store.rowsOutsideCommittedHeights(latest: latest) } catch {
            throw VerificationFailure(location: "ledger", reason: "\(error)")
        }
        if let first = stray.first {
            throw VerificationFailure(
                location: "\(first.table) table",
                reason: "\(first.count) row(s) at heights outside 1…\(latest), which were never committed")
        }
    }

    /// Transactions by hash and events by subject must be found exactly where their rows
    /// are: a key dropped from an index would hide a report's history from its readers.
    private func checkLookupIndexes(store: any LedgerDatabase) throws(VerificationFailure) {
        let damage: (index: String, reason: String)?
        do { damage = try store.lookupIndexDamage() } catch {
            throw VerificationFailure(location: "ledger", reason: "\(error)")
        }
        if let damage { throw VerificationFailure(location: "\(damage.index) index", reason: damage.reason) }
    }

    /// The stored state must equal, entry for entry, the state rebuilt by replay.
    private func checkStoredState(_ state: LedgerState, store: any LedgerDatabase, latest: Height)
        throws(VerificationFailure)
        -> Int
    {
        let stored: [(key: [UInt8], value: [UInt8])]
        do { stored = try store.allState() } catch {
            throw VerificationFailure(location: "state table", reason: "\(error)")
        }
        var expectedCount = 0
        for entry in stored {
            guard let key = StateKey(bytes: entry.key) else {
                throw VerificationFailure(location: "state entry \(Hex.encode(entry.key))", reason: "unknown key")
            }
            guard state.encodedValue(key) == entry.value else {
                throw VerificationFailure(
                    location: "state entry \(Hex.encode(entry.key))",
                    reason: "differs from the state rebuilt from the blocks")
            }
            expectedCount += 1
        }
        let replayed = state.committedEntryCount
        // Before block 1 the genesis state lives only in memory (block 1 persists it).
        guard replayed == expectedCount || latest == 0 else {
            throw VerificationFailure(
                location: "state table",
                reason: "holds \(expectedCount) entries, the blocks give \(replayed)")
        }
        return expectedCount
    }

    /// Every file in the blob store must hash to its name; every blob this directory's node
    /// attested on the ledger, and every blob it is a designated holder of, must be stored.
    /// (Without a node key, every blob is required, as for a single node.) And no blob a
    /// committed re-keying replaced may remain, unless a version still names it: that the old
    /// ciphertext is gone is what a re-keying promises the patient.
    private func checkBlobs(
        _ state: LedgerState, placement: BlobPlacement, replaced: Set<Hash256>
    ) throws(VerificationFailure) -> Int {
        let blobs: FileBlobStore
        let addresses: [Hash256]
        do {
            blobs = try FileBlobStore(dataDirectory: directory.url)
            addresses = try blobs.allAddresses()
        } catch {
            throw VerificationFailure(location: "blob store", reason: "\(error)")
        }
        for address in addresses where !blobs.verify(address) {
            throw VerificationFailure(location: "blob \(address)", reason: "content does not hash to its address")
        }
        let stored = Set(addresses)
        let referenced = Set(state.reports.values.flatMap { $0.versions.map(\.content.contentAddress) })
        for address in replaced.sorted() where stored.contains(address) && !referenced.contains(address) {
            throw VerificationFailure(
                location: "blob \(address)", reason: "still stored, though a committed re-keying replaced it")
        }
        let node = try? KeyFile.load(directory.nodeKeyFile).keys().identityID
        for report in state.reports.values.sorted(by: { $0.id < $1.id }) {
            for version in report.versions where !stored.contains(version.content.contentAddress) {
                let address = version.content.contentAddress
                guard let node else {
                    throw VerificationFailure(
                        location: "blob \(address)", reason: "missing (report \(report.id) version \(version.version))")
                }
                if state.blobHolders(BlobHolding(report: report.id, version: version.version)).holds(node) {
                    throw VerificationFailure(
                        location: "blob \(address)",
                        reason:
                            "missing, though this node attested holding it (report \(report.id) version \(version.version))"
                    )
                }
                if placement.holders(address: address, organization: report.organization).contains(node) {
                    throw VerificationFailure(
                        location: "blob \(address)",
                        reason:
                            "missing; this node is one of its holders (report \(report.id) version \(version.version))")
                }
            }
        }
        return addresses.count
    }
}
