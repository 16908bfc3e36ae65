import Foundation

/// A count of things in progress that never passes `limit`: the API's block waits
/// (`BlockWaits`; its connections are counted by `ConnectionGate`, in all and by address).
/// Each `admit` that returned true is paired with one `release`.
final class BoundedCount: @unchecked Sendable {
    let limit: Int
    private let lock = NSLock()
    private var count = 0

    init(limit: Int) {
        precondition(limit >= 1)
        self.limit = limit
    }

    /// How many are in progress now (for tests: none may leak).
    var current: Int { lock.withLock { count } }

    /// Takes a place; false when `limit` are taken.
    func admit() -> Bool {
        lock.withLock {
            guard count < limit else { return false }
            count += 1
            return true
        }
    }

    /// Gives back a place `admit` took.
    func release() { lock.withLock { count -= 1 } }
}
