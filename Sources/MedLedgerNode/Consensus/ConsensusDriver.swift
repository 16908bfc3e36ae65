import Foundation
import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerStorage

/// Runs Tendermint for one validator: feeds the pure state machine with verified peer
/// messages and timeouts, and performs its actions — persist, sign, broadcast, execute and
/// commit — on the node. It owns no socket and no clock: messages go through `Transport`
/// and time and timers come from `Clock`, so the node (`PeerNetwork`, the wall clock) and
/// the deterministic simulator (a seeded network, virtual time) run this same driver.
///
/// Events are handled one at a time (`handle(_:)`); the driver starts no tasks of its own
/// except, when `Options.checksGossipOffActor` is set, the signature checks of gossiped
/// transactions.
public actor ConsensusDriver<Transport: ConsensusTransport, Clock: ConsensusClock> {
    /// How the driver behaves beyond the state machine's timeouts.
    public struct Options: Sendable {
        /// How often the driver ticks (the proposer's empty-block wait, re-broadcast).
        public var tickMilliseconds: UInt64 = 50
        /// How often our own messages of the current height (and the proof of our valid
        /// value) are re-sent.
        public var rebroadcastMilliseconds: UInt64 = 1_000
        /// Least time between two status requests when we seem to be behind.
        public var syncRequestMilliseconds: UInt64 = 500
        /// Check gossiped transactions' signatures on a detached task (production), not
        /// inline (the simulator, which must not depend on task scheduling).
        public var checksGossipOffActor = true
        public init() {}
    }

    let node: LedgerNode
    let network: Transport
    let clock: Clock
    let logger: Logger
    let timeouts: TimeoutConfig
    let options: Options
    let notify: @Sendable (ConsensusDriverNotice) -> Void
    var signer: PrivateValidator
    /// The block of our valid value, kept so that we can re-propose it after a restart.
    var validBlockFile: ValidBlockFile
    var machine: TendermintMachine
    /// Blocks seen at the current height, executed, by hash.
    var candidates: [Hash256: ExecutedBlock] = [:]
    /// Our own proposal awaiting the empty-block delay, if any.
    var pendingProposal: (height: Height, round: Round)?
    var lastSyncRequestAt: UInt64?
    /// Our own messages at the current height, re-sent every second (with the state
    /// machine's proof of our valid value): a message sent while a peer was down or
    /// reconnecting is otherwise lost, and a restarted validator needs to hear f + 1
    /// messages of the round the others are in to catch up with them.
    var ownMessages: [PeerMessage] = []
    var lastRebroadcastAt: UInt64?
    /// Signed votes and proposals of the current height whose signatures verified: peers
    /// re-send every second, and each check costs more than the rest of the handling.
    var verified = VerifiedMessages()
    /// The next height's proposal and votes that reached us early (see `NextHeightMessages`).
    var nextHeight = NextHeightMessages()
    /// Set when consensus cannot go on safely (state not persisted, block not committed).
    public private(set) var stopReason: String?
    var started = false
    /// Where gossiped batches take their ticket and, once checked, wait for their turn
    /// (see `GossipAdmissionQueue`).
    let gossipAdmission: GossipAdmissionQueue

    public init(
        node: LedgerNode, transport: Transport, clock: Clock, dataDirectory: DataDirectory,
        timeouts: TimeoutConfig = .init(), options: Options = .init(), logger: Logger,
        notify: @escaping @Sendable (ConsensusDriverNotice) -> Void = { _ in }
    ) async throws {
        precondition(options.tickMilliseconds > 0, "the driver ticks")
        self.node = node
        self.network = transport
        self.clock = clock
        self.logger = logger
        self.timeouts = timeouts
        self.options = options
        self.notify = notify
        self.gossipAdmission = GossipAdmissionQueue(
            verify: { [node] batch in Self.validGossip(batch, node: node) },
            admit: { [node] valid in await node.admitGossiped(valid, signaturesVerified: true) })
        self.signer = try PrivateValidator(keys: await node.keysForConsensus, file: dataDirectory.consensusStateFile)
        self.validBlockFile = ValidBlockFile(url: dataDirectory.consensusValidBlockFile)
        let height = await node.height + 1
        let restoring = signer.consensusState.flatMap { $0.height == height ? $0 : nil }
        self.machine = TendermintMachine(
            chainID: node.genesis.chainID, validators: node.validators, me: node.nodeID,
            height: height, timeouts: timeouts, restoring: restoring)
        // After a restart: the votes we sent at this height before, re-sent with the rest.
        for vote in signer.votes where vote.vote.height == height { remember(.vote(vote)) }
    }

    /// Starts the state machine (a restored round resumes) and the tick. Call once.
    public func start() async {
        precondition(!started, "a driver starts once")
        started = true
        clock.schedule(.tick, afterMilliseconds: options.tickMilliseconds)
        await restoreValidBlock()
        await perform(machine.start())
    }

    /// After a restart: the block of the restored valid value, executed again, so the machine's
    /// re-proposal of it (and our votes for it) can go ahead.
    private func restoreValidBlock() async {
        // The machine takes its valid value from the persisted state when it starts.
        guard let block = validBlockFile.block, let restored = signer.consensusState, restored.height == machine.height,
            restored.validBlock == block.hash, block.header.height == machine.height
        else { return }
        switch await node.executeProposed(block) {
        case .success(let executed): candidates[block.hash] = executed
        case .failure(let error): logger.warning("the kept valid block no longer validates: \(error)")
        }
    }

    /// Handles one event to completion. The simulator calls this for each event of its
    /// queue; `run(events:)` does for the node.
    public func handle(_ event: ConsensusDriverEvent) async {
        guard started, stopReason == nil else { return }
        switch event {
        case .message(let peer, let message): await handle(message, from: peer)
        case .timeout(let timeout): await perform(machine.handle(.timeout(timeout)))
        case .tick:
            clock.schedule(.tick, afterMilliseconds: options.tickMilliseconds)
            await onTick()
        }
    }

    /// Runs until cancelled or stopped: starts, then handles `events` one at a time.
    public func run(events: AsyncStream<ConsensusDriverEvent>) async {
        await start()
        for await event in events {
            if Task.isCancelled || stopReason != nil { break }
            await handle(event)
        }
    }

    /// Stops consensus for good (the node keeps serving reads).
    func stop(_ reason: String) {
        logger.critical("\(reason); stopping consensus")
        if stopReason == nil {
            stopReason = reason
            notify(.stopped(reason))
        }
    }

    public var currentHeight: Height { machine.height }
    public var currentRound: Round { machine.round }
    /// The state machine's round, step, lock and vote tallies (logs, simulator reports).
    public var machineDescription: String { machine.description }
}

/// Signed votes and proposals whose signatures verified, for the current height (bounded).
struct VerifiedMessages {
    static let limit = 4_096
    private var votes: Set<SignedVote> = []
    private var proposals: Set<Proposal> = []

    func contains(_ vote: SignedVote) -> Bool { votes.contains(vote) }
    func contains(_ proposal: Proposal) -> Bool { proposals.contains(proposal) }

    mutating func insert(_ vote: SignedVote) {
        if votes.count >= Self.limit { votes.removeAll() }
        votes.insert(vote)
    }

    mutating func insert(_ proposal: Proposal) {
        if proposals.count >= Self.limit { proposals.removeAll() }
        proposals.insert(proposal)
    }

    mutating func removeAll() {
        votes.removeAll()
        proposals.removeAll()
    }
}
