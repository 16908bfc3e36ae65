import Metrics

/// What the node counts and times for operators: blocks and transactions committed, peers
/// connected, peer connections refused, and how long each step of a block takes. Recorded
/// through the factory it is given (the CLI passes the Prometheus one behind `/metrics`),
/// never through the process-wide `MetricsSystem`, so tests can run many nodes in one
/// process. Observability only: nothing here is read back by consensus or the contracts,
/// and the times come from the monotonic clock, never from anything hashed or signed. The
/// block height and mempool size are read from the node when `/metrics` is scraped, so they
/// are exact for any router, whatever factory the node was given.
public struct NodeMetrics: Sendable {
    /// The timers' labels, with the buckets a Prometheus factory should give them
    /// (`latencyBuckets`): the default buckets jump from 100 ms to 250 ms, too coarse for a
    /// block that takes 60 ms and a transaction that waits 150.
    public static let timerLabels = [
        blockBuildLabel, blockCheckLabel, blockWriteLabel, blockIntervalLabel, transactionWaitLabel,
    ]
    static let blockBuildLabel = "medledger_block_build_seconds"
    static let blockCheckLabel = "medledger_block_check_seconds"
    static let blockWriteLabel = "medledger_block_commit_seconds"
    static let blockIntervalLabel = "medledger_block_interval_seconds"
    static let transactionWaitLabel = "medledger_transaction_wait_seconds"
    static let signatureChecksLabel = "medledger_signature_checks_total"
    static let consensusDropsLabel = "medledger_consensus_messages_dropped_total"

    /// 1 ms to 10 s, finest where blocks and transaction waits fall on a busy network.
    public static let latencyBuckets: [Duration] = [
        1, 2.5, 5, 10, 20, 30, 40, 50, 60, 75, 100, 125, 150, 200, 250, 300, 400, 500, 750, 1_000, 2_500, 5_000, 10_000,
    ].map { Duration.microseconds(Int64($0 * 1_000)) }

    let blocksCommitted: Counter
    let transactionsCommitted: Counter
    let peersConnected: Gauge
    let peerRefusals: Counter
    /// Gossiped transactions dropped unchecked because the node's checks, or the sending
    /// validator's share of them, were full (`GossipAdmissionQueue`).
    let gossipDrops: Counter
    /// Transaction signatures this node verified besides the API's: gossiped batches, and
    /// transactions of a peer's block that it had not verified before. With the API's
    /// checks, a node ideally verifies each committed transaction once.
    let gossipSignatureChecks: Counter
    let blockSignatureChecks: Counter
    /// Peers' proposals and votes dropped: for a height this node had committed (unchecked),
    /// or whose signature, chain or block hash did not hold.
    let staleConsensusMessages: Counter
    let invalidConsensusMessages: Counter
    /// The proposer building and executing its next block from the mempool.
    let blockBuild: Timer
    /// Executing a peer's proposal to judge it.
    let blockCheck: Timer
    /// Writing a decided block to the store and making its state live.
    let blockWrite: Timer
    /// From one committed block to the next on this node.
    let blockInterval: Timer
    /// From a transaction's admission to this node's mempool to its block's commit, by
    /// whether a client submitted it here or a peer gossiped it.
    let clientTransactionWait: Timer
    let peerTransactionWait: Timer

    /// - Parameter factory: where the metrics are recorded.
    public init(factory: any MetricsFactory) {
        blocksCommitted = Counter(label: "medledger_blocks_committed_total", factory: factory)
        transactionsCommitted = Counter(label: "medledger_transactions_committed_total", factory: factory)
        peersConnected = Gauge(label: "medledger_peers_connected", factory: factory)
        peerRefusals = Counter(label: "medledger_peer_refusals_total", factory: factory)
        gossipDrops = Counter(label: "medledger_gossip_transactions_dropped_total", factory: factory)
        gossipSignatureChecks = Counter(
            label: Self.signatureChecksLabel, dimensions: [("path", "gossip")], factory: factory)
        blockSignatureChecks = Counter(
            label: Self.signatureChecksLabel, dimensions: [("path", "block")], factory: factory)
        staleConsensusMessages = Counter(
            label: Self.consensusDropsLabel, dimensions: [("reason", "stale")], factory: factory)
        invalidConsensusMessages = Counter(
            label: Self.consensusDropsLabel, dimensions: [("reason", "invalid")], factory: factory)
        blockBuild = Timer(label: Self.blockBuildLabel, factory: factory)
        blockCheck = Timer(label: Self.blockCheckLabel, factory: factory)
        blockWrite = Timer(label: Self.blockWriteLabel, factory: factory)
        blockInterval = Timer(label: Self.blockIntervalLabel, factory: factory)
        clientTransactionWait = Timer(
            label: Self.transactionWaitLabel, dimensions: [("source", "client")], factory: factory)
        peerTransactionWait = Timer(
            label: Self.transactionWaitLabel, dimensions: [("source", "peer")], factory: factory)
    }

    /// Records nothing: for tests, the demo and tools that serve no `/metrics`.
    public static let disabled = NodeMetrics(factory: NOOPMetricsHandler.instance)

    func blockCommitted(transactions: Int) {
        precondition(transactions >= 0, "a block holds a non-negative number of transactions")
        blocksCommitted.increment()
        transactionsCommitted.increment(by: transactions)
    }

    /// How long each of a committed block's transactions waited in this node's mempool.
    func transactionsWaited(_ waits: [Mempool.Wait]) {
        for wait in waits {
            (wait.submittedHere ? clientTransactionWait : peerTransactionWait).record(duration: wait.duration)
        }
    }

    func peers(connected count: Int) {
        precondition(count >= 0, "a peer count is never negative")
        peersConnected.record(count)
    }

    func gossipDropped(_ count: Int) {
        precondition(count >= 0, "a drop count only grows")
        gossipDrops.increment(by: count)
    }

    func peersRefused(_ count: Int) {
        precondition(count >= 0, "a refusal count only grows")
        peerRefusals.increment(by: count)
    }
}
