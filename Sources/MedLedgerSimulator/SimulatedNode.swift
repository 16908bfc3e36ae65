import Foundation
import MedLedgerCore
import MedLedgerStorage
import MedLedgerConsensus
import MedLedgerNode

/// The production driver as the simulator runs it: over the seeded network and virtual clock.
typealias SimulatedDriver = ConsensusDriver<SimulatedTransport, SimulatedClock>

/// One simulated validator: a real `LedgerNode` on its own data directory (SQLite, the
/// private validator's file) run by the production `ConsensusDriver`. What is on disk
/// survives a crash; the node and driver objects (mempool, state machine, candidates,
/// re-broadcast log) do not: a restart opens the directory again.
final class SimulatedNode {
    let index: Int
    let keys: IdentityKeys
    let id: IdentityID
    let byzantine: Bool
    /// This validator's clock is off by this much (signed milliseconds).
    let clockSkew: Int64
    let directory: DataDirectory

    // Volatile: lost in a crash.
    var ledger: LedgerNode?
    var driver: SimulatedDriver?
    var up = true
    /// Bumped by every crash: timers of an earlier incarnation never fire.
    var incarnation = 0

    // The checker's view of the node's durable chain (never reset by a crash).
    /// The highest block checked (agreement, certificate, validity, time).
    var checkedHeight: Height = 0
    var lastHeader: BlockHeader?

    init(index: Int, keys: IdentityKeys, byzantine: Bool, clockSkew: Int64, directory: DataDirectory) {
        self.index = index
        self.keys = keys
        self.id = keys.identityID
        self.byzantine = byzantine
        self.clockSkew = clockSkew
        self.directory = directory
    }

    /// Loses everything volatile; the data directory stays.
    func crash() {
        precondition(up, "only a running node crashes")
        up = false
        incarnation += 1
        driver = nil
        ledger = nil
        precondition(driver == nil && ledger == nil, "nothing volatile survives")
    }
}
