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
/// every earlier ticket has been admitted.
///
/// Bounded: a batch that would take the transactions or bytes being checked or waiting here
/// past the queue's limits, in all or from its peer, is dropped before any work is done on
/// it. A rogue validator can send batches faster than two cores verify them, and checks
/// spawned without a bound would pile up with the batches they hold; its share keeps it from
/// taking the other peers' room too. Dropping gossip loses nothing: the node a client gave a
/// transaction to keeps it, and proposes it in its turn.
actor GossipAdmissionQueue {
    /// What a batch costs while it is checked or waits for its turn.
    struct Load: Sendable, Equatable {
        var transactions = 0
        var bytes = 0

        func fits(_ more: Load, within limit: Load) -> Bool {
            transactions + more.transactions <= limit.transactions && bytes + more.bytes <= limit.bytes
        }

        mutating func add(_ other: Load) {
            transactions += other.transactions
            bytes += other.bytes
        }

        mutating func remove(_ other: Load) {
            transactions -= other.transactions
            bytes -= other.bytes
            precondition(transactions >= 0 && bytes >= 0, "only what was added is removed")
        }
    }

    /// The most load held at once, in all and from one peer.
    struct Limit: Sendable {
        var total: Load
        var perPeer: Load

        static let standard = Limit(
            total: Load(transactions: Limits.gossipChecksMaxTransactions, bytes: Limits.gossipChecksMaxBytes),
            perPeer: Load(
                transactions: Limits.gossipChecksMaxTransactionsPerPeer, bytes: Limits.gossipChecksMaxBytesPerPeer))
    }

    /// Tickets handed out and the load they hold, changed synchronously by `check` (so the
    /// order is the order of the calls, whichever task makes them) and released on admission.
    private struct Tickets {
        var next: UInt64 = 0
        var held = Load()
        /// Only peers with batches in flight have an entry (an observability map, never
        /// iterated for anything hashed or ordered).
        var heldByPeer: [IdentityID: Load] = [:]
        /// Whether the last batch offered was dropped: the first of a run is worth a warning.
        var dropping = false
    }

    /// What `check` did with a batch.
    enum Outcome: Equatable, Sendable {
        case checking
        /// Dropped for the limit; `firstOfARun` when the batch before it was taken.
        case dropped(firstOfARun: Bool)
    }

    private let admit: @Sendable ([Transaction]) async -> Void
    private nonisolated let verify: @Sendable ([Transaction]) -> [Transaction]
    private nonisolated let limit: Limit
    private nonisolated let tickets = Mutex(Tickets())
    private var nextToAdmit: UInt64 = 0
    private var checked: [UInt64: (valid: [Transaction], load: Load, peer: IdentityID)] = [:]
    /// Set while a call is admitting: a call that arrives meanwhile (actor reentrancy at the
    /// `await`) only leaves its batch, and the admitting call's loop takes it in turn, so two
    /// batches are never on their way to the node at once.
    private var admitting = false

    /// - Parameters:
    ///   - limit: the most transactions and bytes checked or waiting at once, in all and
    ///     from one peer (`Limits.gossipChecks…` by default).
    ///   - verify: the batch's transactions whose signatures are valid, in order (the node
    ///     passes its `VerifiedSignatures`, which skips what it verified before).
    ///   - admit: hands a batch whose signatures verified to the node.
    init(
        limit: Limit = .standard,
        verify: @escaping @Sendable ([Transaction]) -> [Transaction] = { $0.filter(\.hasValidSignature) },
        admit: @escaping @Sendable ([Transaction]) async -> Void
    ) {
        precondition(
            limit.perPeer.transactions > 0 && limit.perPeer.bytes > 0
                && Load().fits(limit.perPeer, within: limit.total),
            "some gossip can be checked, and a peer's share is part of the total")
        self.limit = limit
        self.verify = verify
        self.admit = admit
    }

    /// The transactions and bytes being checked or waiting for their turn now.
    nonisolated var held: Load { tickets.withLock { $0.held } }

    /// What `peer`'s batches hold now.
    nonisolated func held(from peer: IdentityID) -> Load { tickets.withLock { $0.heldByPeer[peer] ?? Load() } }

    /// Takes the next ticket now and checks the batch's signatures on a task of its own; the
    /// valid transactions reach the node after every earlier batch's. Drops the batch, having
    /// done nothing with it, when it would take the queue past its limit, in all or for
    /// `peer`, the validator that sent it.
    ///
    /// At utility priority: a flood of gossip must not crowd out votes and blocks, which wait
    /// for the same two cores.
    @discardableResult
    nonisolated func check(_ transactions: [Transaction], from peer: IdentityID) -> Outcome {
        let load = Load(transactions: transactions.count, bytes: transactions.reduce(0) { $0 + $1.encoded.count })
        let (ticket, outcome): (UInt64?, Outcome) = tickets.withLock { tickets in
            let fromPeer = tickets.heldByPeer[peer] ?? Load()
            guard tickets.held.fits(load, within: limit.total), fromPeer.fits(load, within: limit.perPeer) else {
                defer { tickets.dropping = true }
                return (nil, .dropped(firstOfARun: !tickets.dropping))
            }
            tickets.dropping = false
            tickets.held.add(load)
            tickets.heldByPeer[peer, default: Load()].add(load)
            defer { tickets.next += 1 }
            return (tickets.next, .checking)
        }
        guard let ticket else { return outcome }
        Task.detached(priority: .utility) {
            let valid = self.verify(transactions)
            await self.finished(ticket, valid: valid, load: load, from: peer)
        }
        return .checking
    }

    /// Records the checked batch of `ticket` (only its valid transactions; empty when none
    /// verified) and admits every batch that is now next in line, releasing each one's load
    /// once the node has it.
    /// - Precondition: each ticket is finished once, and tickets are issued from 0 upward.
    func finished(
        _ ticket: UInt64, valid: [Transaction], load: Load = Load(), from peer: IdentityID = IdentityID(hash: .zero)
    ) async {
        precondition(ticket >= nextToAdmit && checked[ticket] == nil, "each gossip ticket is finished once")
        checked[ticket] = (valid, load, peer)
        guard !admitting else { return }
        admitting = true
        while let batch = checked.removeValue(forKey: nextToAdmit) {
            nextToAdmit += 1
            if !batch.valid.isEmpty { await admit(batch.valid) }
            tickets.withLock { tickets in
                tickets.held.remove(batch.load)
                tickets.heldByPeer[batch.peer]?.remove(batch.load)
                if tickets.heldByPeer[batch.peer] == Load() { tickets.heldByPeer[batch.peer] = nil }
            }
        }
        admitting = false
    }
}
