import Foundation
import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerStorage

/// Runs Tendermint for one validator: feeds the pure state machine with verified peer
/// messages and timeouts, and performs its actions — persist, sign, broadcast, execute and
/// commit — on the node. It owns the clock and the sockets; the state machine owns none.
public actor ConsensusDriver {
    enum Event: Sendable {
        case peer(IdentityID, PeerMessage)
        case timeout(ConsensusTimeout)
        case tick
    }

    let node: LedgerNode
    let network: PeerNetwork
    let logger: Logger
    let timeouts: TimeoutConfig
    let clock: @Sendable () -> ConsensusTime
    var signer: PrivateValidator
    var machine: TendermintMachine
    /// Blocks seen at the current height, executed, by hash.
    var candidates: [Hash256: ExecutedBlock] = [:]
    /// Our own proposal awaiting the empty-block delay, if any.
    var pendingProposal: (height: Height, round: UInt32)?
    var events: AsyncStream<Event>.Continuation?
    var lastSyncRequestAt: UInt64 = 0
    /// Our own messages at the current height, re-sent every second (with the state
    /// machine's proof of our valid value): a message sent while a peer was down or
    /// reconnecting is otherwise lost, and a restarted validator needs to hear f + 1
    /// messages of the round the others are in to catch up with them.
    var ownMessages: [PeerMessage] = []
    var lastRebroadcastAt: UInt64 = 0

    public init(node: LedgerNode, network: PeerNetwork, dataDirectory: DataDirectory, timeouts: TimeoutConfig = .init(),
                logger: Logger, clock: @escaping @Sendable () -> ConsensusTime = SystemClock.now) async throws {
        self.node = node
        self.network = network
        self.logger = logger
        self.timeouts = timeouts
        self.clock = clock
        self.signer = try PrivateValidator(keys: await node.keysForConsensus, file: dataDirectory.consensusStateFile)
        let height = await node.height + 1
        let restoring = signer.consensusState.flatMap { $0.height == height ? $0 : nil }
        self.machine = TendermintMachine(chainID: node.genesis.chainID, validators: node.validators, me: node.nodeID,
                                         height: height, timeouts: timeouts, restoring: restoring)
    }

    /// Runs until cancelled: peer messages, timeouts and a 50 ms tick (empty-block cadence,
    /// sync requests) are handled one at a time.
    public func run() async {
        let (stream, continuation) = AsyncStream<Event>.makeStream(bufferingPolicy: .bufferingNewest(100_000))
        events = continuation
        let inbound = network.inbound
        let forwarder = Task {
            for await (peer, message) in inbound { continuation.yield(.peer(peer, message)) }
        }
        let ticker = Task {
            while !Task.isCancelled {
                try? await Task.sleep(nanoseconds: 50_000_000)
                continuation.yield(.tick)
            }
        }
        defer {
            forwarder.cancel()
            ticker.cancel()
        }
        await perform(machine.start())
        for await event in stream {
            if Task.isCancelled { break }
            switch event {
            case .peer(let peer, let message): await handle(message, from: peer)
            case .timeout(let timeout): await perform(machine.handle(.timeout(timeout)))
            case .tick: await onTick()
            }
        }
    }

    var currentHeight: Height { machine.height }
}
