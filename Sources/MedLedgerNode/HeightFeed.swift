import Foundation
import MedLedgerCore

/// Tells any number of waiters when the ledger grows past a height: the event streams wait
/// here between blocks instead of polling the store.
///
/// A waiter passes the height it last read; a block committed after that read makes the wait
/// return at once, so nothing committed between the read and the wait is missed.
public final class HeightFeed: @unchecked Sendable {
    private enum Slot {
        case pending
        case parked(CheckedContinuation<Void, Never>, after: Height)
        /// Woken, timed out or cancelled: the wait returns (or never parks).
        case released
    }

    private let lock = NSLock()
    private var height: Height = 0
    private var nextID: UInt64 = 0
    private var slots: [UInt64: Slot] = [:]

    public init() {}

    /// The latest height published.
    public var current: Height { lock.withLock { height } }

    /// Waits in progress (for tests: none may leak).
    public var waiting: Int { lock.withLock { slots.count } }

    /// Records that `newHeight` is committed and wakes every waiter below it.
    public func publish(_ newHeight: Height) {
        let wake: [CheckedContinuation<Void, Never>] = lock.withLock {
            height = max(height, newHeight)
            var ready: [CheckedContinuation<Void, Never>] = []
            for (id, slot) in slots {
                guard case .parked(let continuation, let after) = slot, after < height else { continue }
                slots[id] = .released
                ready.append(continuation)
            }
            return ready
        }
        for continuation in wake { continuation.resume() }
    }

    /// Returns once a height above `after` is published, after `timeout`, or when the task is
    /// cancelled, whichever comes first.
    /// - Returns: true when the ledger is past `after`.
    public func wait(after: Height, timeout: Duration) async -> Bool {
        let id: UInt64 = lock.withLock {
            nextID += 1
            slots[nextID] = .pending
            return nextID
        }
        let timer = Task {
            try? await Task.sleep(for: timeout)
            self.release(id)
        }
        defer {
            timer.cancel()
            lock.withLock { slots[id] = nil }
        }
        await withTaskCancellationHandler {
            await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
                let resumeNow: Bool = lock.withLock {
                    guard case .pending = slots[id], height <= after else { return true }
                    slots[id] = .parked(continuation, after: after)
                    return false
                }
                if resumeNow { continuation.resume() }
            }
        } onCancel: {
            release(id)
        }
        return current > after
    }

    private func release(_ id: UInt64) {
        let continuation: CheckedContinuation<Void, Never>? = lock.withLock {
            switch slots[id] {
            case .parked(let continuation, _):
                slots[id] = .released
                return continuation
            case .pending:
                slots[id] = .released
                return nil
            case .released, nil:
                return nil
            }
        }
        continuation?.resume()
    }
}
