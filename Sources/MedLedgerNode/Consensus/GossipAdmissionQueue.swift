import MedLedgerCore
import Synchronization

/// Admits gossiped batches to the node in the order they reached the driver, although their
/// signatures are checked on tasks of their own that may finish in any order.
///
/// Why the order matters: a client's transactions with nonces n and n+1 usually reach a
/// peer in that order, often in two batches. Admitted as their checks happened to finish,
/// n+1 could enter the mempool first; the mempool then refuses n as not above the pending
/// nonce, and n is lost while n+1 waits for it. Each batch takes a ticket on the driver (in
/// arrival order, synchronously), and a batch whose check finished early waits here until
/// every earlier ticket has been admitted. Memory is bounded by the batches in flight.
actor GossipAdmissionQueue {
    private let admit: @Sendable ([Transaction]) async -> Void
    /// The ticket the next batch takes, handed out synchronously (`check`), so the order is
    /// the order of the calls, whichever task makes them.
    private nonisolated let nextTicket = Mutex<UInt64>(0)
    private var nextToAdmit: UInt64 = 0
    private var checked: [UInt64: [Transaction]] = [:]
    /// Set while a call is admitting: a call that arrives meanwhile (actor reentrancy at the
    /// `await`) only leaves its batch, and the admitting call's loop takes it in turn, so two
    /// batches are never on their way to the node at once.
    private var admitting = false

    /// - Parameter admit: hands a batch whose signatures verified to the node.
    init(admit: @escaping @Sendable ([Transaction]) async -> Void) {
        self.admit = admit
    }

    /// Takes the next ticket now and checks the batch's signatures on a task of its own; the
    /// valid transactions reach the node after every earlier batch's.
    ///
    /// At utility priority: a flood of gossip must not crowd out votes and blocks, which wait
    /// for the same two cores.
    nonisolated func check(_ transactions: [Transaction]) {
        let ticket = nextTicket.withLock { next in
            defer { next += 1 }
            return next
        }
        Task.detached(priority: .utility) {
            let valid = transactions.filter(\.hasValidSignature)
            await self.finished(ticket, valid: valid)
        }
    }

    /// Records the checked batch of `ticket` (only its valid transactions; empty when none
    /// verified) and admits every batch that is now next in line.
    /// - Precondition: each ticket is finished once, and tickets are issued from 0 upward.
    func finished(_ ticket: UInt64, valid: [Transaction]) async {
        precondition(ticket >= nextToAdmit && checked[ticket] == nil, "each gossip ticket is finished once")
        checked[ticket] = valid
        guard !admitting else { return }
        admitting = true
        while let batch = checked.removeValue(forKey: nextToAdmit) {
            nextToAdmit += 1
            if !batch.isEmpty { await admit(batch) }
        }
        admitting = false
    }
}
