import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerStorage

/// Moves report blobs between validators: fetches the blobs this node should hold (after a
/// commit names one, at start and every `Limits.blobRepairIntervalMilliseconds` for repair,
/// and on demand when a reader asks for one it lacks), and serves chunks to peers.
///
/// Transfers are pulled by the receiver, one chunk request at a time: a peer can send us only
/// what we asked for, in pieces of at most `Limits.blobChunkMaxBytes`, toward a size the
/// ledger declares; the whole blob must hash to its address before it is stored. At most
/// `Limits.blobFetchesMax` transfers run at once, so transfers hold at most that many blobs
/// in memory. Only blobs of committed report versions are served or fetched, and only to and
/// by nodes the report organization's storage policy allows.
actor BlobReplicator {
    enum ChunkAnswer: Sendable {
        case chunk(BlobChunk)
        case unavailable
        case timedOut
    }

    struct Outstanding {
        let peer: IdentityID
        let offset: UInt32
        let token: UInt64
        let continuation: CheckedContinuation<ChunkAnswer, Never>
    }

    let node: LedgerNode
    let network: PeerNetwork
    let blobs: FileBlobStore
    let placement: BlobPlacement
    let nodeID: IdentityID
    let logger: Logger
    /// Blobs of committed report versions, by address.
    var known: [Hash256: BlobNeed] = [:]
    /// Blobs this node should hold that it lacks and could not fetch yet: what each repair
    /// round retries (computed in full once, at start; a round does not rescan every blob).
    var missing: Set<Hash256> = []
    /// One transfer per address at a time; later askers wait for its outcome.
    var inFlight: [Hash256: Task<Bool, Never>] = [:]
    /// The chunk request a transfer waits on, per address.
    var outstanding: [Hash256: Outstanding] = [:]
    var nextToken: UInt64 = 0
    /// Chunks served per peer in the current one-second window (see
    /// `Limits.blobServeChunksPerPeerPerSecond`).
    var served: [IdentityID: (window: Int64, chunks: Int)] = [:]
    let startedAt = ContinuousClock.now
    var runningTransfers = 0
    var waitingForSlot: [CheckedContinuation<Void, Never>] = []
    /// Counts for tests and logs.
    var stored = 0
    var refusedBlobs = 0
    var servedChunks = 0

    init(node: LedgerNode, network: PeerNetwork, logger: Logger) async {
        self.node = node
        self.network = network
        self.blobs = node.blobs
        self.placement = node.engine.blobPlacement
        self.nodeID = node.nodeID
        self.logger = logger
        for need in await node.referencedBlobs() {
            known[need.address] = need
            if node.shouldHold(need), !blobs.contains(need.address) { missing.insert(need.address) }
        }
    }

    /// The committed blob at `address`, if a report version points to it.
    func need(_ address: Hash256) -> BlobNeed? { known[address] }

    /// A block committed report versions: index them and fetch those this node should hold.
    func committed(_ needs: [BlobNeed]) {
        for need in needs { known[need.address] = need }
        for need in needs where node.shouldHold(need) && !blobs.contains(need.address) {
            missing.insert(need.address)
            Task { _ = await fetch(need) }
        }
    }

    /// Fetches the blobs this node should hold but lacks (found at start, or whose fetch after
    /// their commit failed), one after another. Returns how many are still missing.
    @discardableResult
    func repair() async -> Int {
        let round = missing.sorted().compactMap { known[$0] }
        var fetched = 0
        for need in round where await fetch(need) { fetched += 1 }
        if !round.isEmpty { logger.info("blob repair: fetched \(fetched) of \(round.count) missing blob(s)") }
        return missing.count
    }

    /// Stores the blob from a peer, unless it is stored already; true when it is stored now.
    /// Concurrent calls for one address share one transfer.
    func fetch(_ need: BlobNeed) async -> Bool {
        if blobs.contains(need.address) {
            missing.remove(need.address)
            return true
        }
        guard node.mayHold(need) else { return false }
        if let running = inFlight[need.address] { return await running.value }
        let transfer = Task { await self.transfer(need) }
        inFlight[need.address] = transfer
        let result = await transfer.value
        inFlight[need.address] = nil
        if result {
            missing.remove(need.address)
            await node.heldBlobsChanged()
        }
        return result
    }

    /// Tries the peers in turn, the blob's designated holders first.
    private func transfer(_ need: BlobNeed) async -> Bool {
        await acquireSlot()
        defer { releaseSlot() }
        if blobs.contains(need.address) { return true }
        let holders = placement.holders(address: need.address, organization: need.organization)
        let connected = network.connectedPeers
        let ordered = holders.filter(connected.contains) + connected.filter { !holders.contains($0) }
        for peer in ordered {
            guard let bytes = await download(need, from: peer) else { continue }
            do {
                try blobs.put(bytes)
                stored += 1
                logger.info("stored blob \(need.address) (\(bytes.count) bytes) from \(peer)")
                return true
            } catch {
                logger.error("could not store blob \(need.address): \(error)")
                return false
            }
        }
        return false
    }

    private func acquireSlot() async {
        if runningTransfers < Limits.blobFetchesMax {
            runningTransfers += 1
            return
        }
        await withCheckedContinuation { waitingForSlot.append($0) }
    }

    private func releaseSlot() {
        if waitingForSlot.isEmpty {
            runningTransfers -= 1
        } else {
            waitingForSlot.removeFirst().resume()  // the slot passes on
        }
        precondition(runningTransfers >= 0 && runningTransfers <= Limits.blobFetchesMax)
    }
}
