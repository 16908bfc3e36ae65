import Foundation
import Logging
import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus

/// How the consensus driver talks to the other validators: consensus messages (proposals,
/// votes) and block sync (status, block requests and responses). Production uses
/// `PeerNetwork`; the simulator a seeded, faulty in-memory network. Inbound messages reach
/// the driver as `ConsensusDriverEvent.message`.
public protocol ConsensusTransport: Sendable {
    /// Sends to every connected validator, best effort; returns to how many it was handed.
    @discardableResult func broadcast(_ message: PeerMessage) -> Int
    /// Sends to one validator, best effort; false when it could not be handed over.
    @discardableResult func send(_ message: PeerMessage, to peer: IdentityID) -> Bool
}

/// The driver's clock and timers. Production reads the wall clock and sleeps; the simulator
/// reads virtual time (with the validator's skew) and puts the event on its seeded queue, so
/// a run never depends on real time or on task scheduling.
public protocol ConsensusClock: Sendable {
    /// This validator's reading of the time: vote times and the proposer's empty-block wait.
    func now() -> ConsensusTime
    /// Hands `event` (a timeout or the next tick) back to the driver after `milliseconds`.
    func schedule(_ event: ConsensusDriverEvent, afterMilliseconds milliseconds: UInt64)
}

/// Everything the driver reacts to, one at a time.
public enum ConsensusDriverEvent: Sendable {
    /// A message from another validator (signatures not yet checked).
    case message(from: IdentityID, PeerMessage)
    /// A state-machine timeout that came due.
    case timeout(ConsensusTimeout)
    /// The periodic tick: the proposer's empty-block wait and re-broadcast.
    case tick
}

/// What the driver noticed that an operator (or the simulator's checks) may want to know.
public enum ConsensusDriverNotice: Sendable {
    /// A validator signed two different votes or proposals for one step.
    case equivocation(validator: IdentityID, height: Height, round: Round)
    /// Our signer refused a vote or proposal that conflicts with one signed before.
    case refusedToSign
    /// A proposal or vote that did not verify (signature, chain, block hash) was dropped.
    case droppedBadSignature
    /// A proposal or vote for a height already committed was dropped, its signature unchecked.
    case droppedStale
    /// A block arrived by block sync and was committed.
    case synced(Height)
    /// Consensus stopped: the state could not be persisted or a block not committed.
    case stopped(String)
}

/// The wall clock and `Task.sleep` timers, delivering through `deliver` (the driver's
/// event stream in `NodeRuntime`).
public struct SystemConsensusClock: ConsensusClock {
    let deliver: @Sendable (ConsensusDriverEvent) -> Void

    public init(deliver: @escaping @Sendable (ConsensusDriverEvent) -> Void) { self.deliver = deliver }

    public func now() -> ConsensusTime { ConsensusTime(wallClock: SystemClock.now()) }

    public func schedule(_ event: ConsensusDriverEvent, afterMilliseconds milliseconds: UInt64) {
        let deliver = deliver
        Task {
            try? await Task.sleep(nanoseconds: milliseconds * 1_000_000)
            deliver(event)
        }
    }
}

extension PeerNetwork: ConsensusTransport {}

extension Logger {
    /// Drops everything: for nodes run by the simulator, whose logs would drown its report.
    public static let silent = Logger(label: "medledger.silent", factory: { _ in SwiftLogNoOpLogHandler() })
}
