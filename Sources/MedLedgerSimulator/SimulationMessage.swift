import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerNode

/// Something that happens at a virtual time. Validators exchange the node's own
/// `PeerMessage`s; the driver's timeouts and ticks come back as `wake` events.
enum SimulationEvent: Sendable {
    /// A message reaches validator `to` from validator `from`.
    case deliver(to: Int, from: Int, PeerMessage)
    /// A timer of the driver of `node` (in its `incarnation`: a crash cancels its timers).
    case wake(node: Int, incarnation: Int, ConsensusDriverEvent)
    /// A client submits the workload's transaction number `transaction` to validator `node`.
    case submit(node: Int, transaction: Int)
    case crash(node: Int)
    case restart(node: Int)
    case partitionStart(id: Int, side: [Bool])
    case partitionHeal(id: Int)
}
