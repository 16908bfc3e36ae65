import Foundation
import MedLedgerCore

/// Tells waiters when their transaction is committed, and the block producer when work
/// arrives, so nothing in the node polls for either.
///
/// A waiter registers *before* it looks at the store, then waits: a commit that lands between
/// the look and the wait is not missed, because `publish` marks the registration.
public final class CommitFeed: @unchecked Sendable {
    /// One registration for one transaction.
    public struct Ticket: Hashable, Sendable {
        let id: UInt64
        let hash: Hash256
    }

    private enum Waiter {
        case registered
        case committed
        case waiting(CheckedContinuation<Bool, Never>)
    }

    private let lock = NSLock()
    private var nextID: UInt64 = 0
    private var waiters: [Hash256: [UInt64: Waiter]] = [:]

    public init() {}

    /// Starts listening for `hash`; pair with `wait` or `cancel`.
    public func register(_ hash: Hash256) -> Ticket {
        lock.withLock {
            nextID += 1
            waiters[hash, default: [:]][nextID] = .registered
            return Ticket(id: nextID, hash: hash)
        }
    }

    /// Stops listening without waiting.
    public func cancel(_ ticket: Ticket) {
        finish(ticket, committed: false)
    }

    /// Waits until `ticket`'s transaction is published or `timeout` passes.
    /// - Returns: true when it was published.
    public func wait(_ ticket: Ticket, timeout: Duration) async -> Bool {
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.finish(ticket, committed: false)
        }
        defer { timer.cancel() }
        return await withCheckedContinuation { continuation in
            let alreadyCommitted: Bool? = lock.withLock {
                switch waiters[ticket.hash]?[ticket.id] {
                case .registered:
                    waiters[ticket.hash]?[ticket.id] = .waiting(continuation)
                    return nil
                case .committed:
                    removeLocked(ticket)
                    return true
                case .waiting, nil:
                    // Timed out (or cancelled) before the wait began.
                    return false
                }
            }
            if let alreadyCommitted { continuation.resume(returning: alreadyCommitted) }
        }
    }

    /// Wakes every waiter of these transactions (called once per committed block).
    public func publish(_ hashes: [Hash256]) {
        var wake: [CheckedContinuation<Bool, Never>] = []
        lock.withLock {
            for hash in hashes {
                guard let entries = waiters[hash] else { continue }
                for (id, waiter) in entries {
                    if case .waiting(let continuation) = waiter {
                        wake.append(continuation)
                        waiters[hash]?[id] = nil
                    } else {
                        waiters[hash]?[id] = .committed
                    }
                }
                if waiters[hash]?.isEmpty == true { waiters[hash] = nil }
            }
        }
        for continuation in wake { continuation.resume(returning: true) }
    }

    /// Registrations still open (for tests: none may leak).
    public var openRegistrations: Int { lock.withLock { waiters.values.reduce(0) { $0 + $1.count } } }

    private func finish(_ ticket: Ticket, committed: Bool) {
        let continuation: CheckedContinuation<Bool, Never>? = lock.withLock {
            guard let waiter = waiters[ticket.hash]?[ticket.id] else { return nil }
            removeLocked(ticket)
            if case .waiting(let continuation) = waiter { return continuation }
            return nil
        }
        continuation?.resume(returning: committed)
    }

    private func removeLocked(_ ticket: Ticket) {
        waiters[ticket.hash]?[ticket.id] = nil
        if waiters[ticket.hash]?.isEmpty == true { waiters[ticket.hash] = nil }
    }
}

/// A wake-up call that is never lost: a `signal` before the `wait` makes the next wait return
/// at once. The block producer (its only waiter) waits on it for work instead of polling.
public final class WakeSignal: @unchecked Sendable {
    private let lock = NSLock()
    private var pending = false
    private var waiter: CheckedContinuation<Void, Never>?
    private var generation: UInt64 = 0
    private var expiredGeneration: UInt64 = 0

    public init() {}

    public func signal() {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            if let waiter {
                self.waiter = nil
                return waiter
            }
            pending = true
            return nil
        }
        continuation?.resume()
    }

    /// Returns when signalled or after `timeout`, whichever comes first. One waiter at a time.
    public func wait(timeout: Duration) async {
        let myGeneration: UInt64 = lock.withLock {
            generation += 1
            return generation
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.expire(myGeneration)
        }
        defer { timer.cancel() }
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow: Bool = lock.withLock {
                if pending || expiredGeneration == myGeneration {
                    pending = false
                    return true
                }
                waiter = continuation
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }

    /// The timeout of wait number `expected`; a later wait is left alone.
    private func expire(_ expected: UInt64) {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            guard generation == expected else { return nil }
            expiredGeneration = expected
            let waiter = self.waiter
            self.waiter = nil
            return waiter
        }
        continuation?.resume()
    }
}
