import MedLedgerCore

/// Collects the transactions this node admitted from its clients and decides when they go
/// to the other validators: at once when nothing was sent within the last `window`, else
/// together once the window has passed (or sooner, when they fill a message).
///
/// Why: every gossip message costs each of the other validators a TLS record, a frame, a
/// signature-check task and two actor hops before its first transaction is looked at. The
/// same 600 tx/s cost the nodes about 0.4 cores more as 300 small requests a second than as
/// 50 larger ones, a request's HTTP handling and its gossip together (`docs/performance.md`,
/// "Requests, not heights"). Clients send one transaction per request, so the node gathers
/// their gossip; the first after a quiet spell is not held, so a lone transaction reaches
/// the proposer as fast as before.
///
/// Pure bookkeeping over a millisecond clock the caller passes in, so tests drive it.
struct GossipOutbox {
    /// What the node should do after `add`: send `messages` now, and set a timer to call
    /// `flush` at `flushAt` (milliseconds on the caller's clock) when that is not nil.
    struct Step: Equatable {
        var messages: [[Transaction]] = []
        var flushAt: UInt64?
    }

    let windowMilliseconds: UInt64
    private(set) var pending: [Transaction] = []
    private var lastSentAt: UInt64?
    private var flushDueAt: UInt64?

    init(windowMilliseconds: UInt64) {
        self.windowMilliseconds = windowMilliseconds
    }

    /// Takes newly admitted transactions.
    mutating func add(_ transactions: [Transaction], now: UInt64) -> Step {
        pending.append(contentsOf: transactions)
        guard !pending.isEmpty else { return Step() }
        let windowPassed = lastSentAt.map { now >= $0 + windowMilliseconds } ?? true
        if windowPassed || flushDueAt.map({ $0 <= now }) ?? false {
            return Step(messages: takeAll(now: now))
        }
        var step = Step()
        // Full messages do not wait for the window: holding them would only add latency.
        if pending.count >= Limits.peerMessageMaxTransactions {
            var messages = Self.messages(pending)
            pending = messages.last!.count < Limits.peerMessageMaxTransactions ? messages.removeLast() : []
            step.messages = messages
            lastSentAt = now
        }
        if !pending.isEmpty, flushDueAt == nil {
            let due = (lastSentAt ?? now) + windowMilliseconds
            flushDueAt = due
            step.flushAt = due
        }
        return step
    }

    /// The messages whose window has passed (none when the flush came early or was pre-empted).
    mutating func flush(now: UInt64) -> [[Transaction]] {
        guard let due = flushDueAt, now >= due else { return [] }
        return takeAll(now: now)
    }

    private mutating func takeAll(now: UInt64) -> [[Transaction]] {
        flushDueAt = nil
        guard !pending.isEmpty else { return [] }
        defer { pending = [] }
        lastSentAt = now
        return Self.messages(pending)
    }

    /// Splits transactions into gossip messages that each fit a peer frame: at most
    /// `Limits.peerMessageMaxTransactions` and at most half a frame of encoded bytes (500
    /// transactions of the largest size would need 32 MiB, twice a frame).
    static func messages(_ transactions: [Transaction]) -> [[Transaction]] {
        let maxBytes = Limits.peerFramePayloadMaxBytes / 2
        var chunks = [[Transaction]]()
        var current = [Transaction]()
        var bytes = 0
        for tx in transactions {
            let size = tx.encoded.count + 4
            if !current.isEmpty, current.count == Limits.peerMessageMaxTransactions || bytes + size > maxBytes {
                chunks.append(current)
                current = []
                bytes = 0
            }
            current.append(tx)
            bytes += size
        }
        if !current.isEmpty { chunks.append(current) }
        precondition(chunks.allSatisfy { !$0.isEmpty && $0.count <= Limits.peerMessageMaxTransactions })
        return chunks
    }
}
