import Foundation

/// Things in progress, counted in all and by key, that never pass `limit` in all nor
/// `perKeyLimit` for one key: the API's connections by client address (`ConnectionGate`),
/// its event streams by identity, its block waits (keyless: `BoundedCounts<Never>`). Both
/// bounds are checked and taken under one lock, so two requests at once cannot both take
/// the last place. Each `admit` that returned nil is paired with one `release` of the same key.
///
/// Only keys with something in progress are remembered, so it holds at most `limit` of them
/// however many come and go.
package final class BoundedCounts<Key: Hashable & Sendable>: @unchecked Sendable {
    /// Which bounds a refused `admit` met (both may have).
    package struct Refusal: Equatable, Sendable {
        package let total: Bool
        package let key: Bool
    }

    package let limit: Int
    package let perKeyLimit: Int
    private let lock = NSLock()
    private var total = 0
    private var byKey: [Key: Int] = [:]

    /// - Parameter perKeyLimit: 1 through `limit`; nil: `limit`.
    package init(limit: Int, perKeyLimit: Int? = nil) {
        precondition(limit >= 1 && (1...limit).contains(perKeyLimit ?? limit))
        self.limit = limit
        self.perKeyLimit = perKeyLimit ?? limit
    }

    /// In progress now, in all or for `key` (for tests: none may leak).
    package func current(_ key: Key? = nil) -> Int {
        lock.withLock { key.map { byKey[$0] ?? 0 } ?? total }
    }

    /// Takes a place for `key` (nil: counted in the total only); returns which bounds are
    /// met when there is none.
    package func admit(_ key: Key? = nil) -> Refusal? {
        lock.withLock {
            let held = key.map { byKey[$0] ?? 0 } ?? 0
            let refusal = Refusal(total: total >= limit, key: key != nil && held >= perKeyLimit)
            guard !refusal.total, !refusal.key else { return refusal }
            if let key { byKey[key] = held + 1 }
            total += 1
            return nil
        }
    }

    /// Gives back the place `admit` took for `key`.
    package func release(_ key: Key? = nil) {
        lock.withLock {
            total -= 1
            guard let key, let held = byKey[key] else { return }
            byKey[key] = held > 1 ? held - 1 : nil
        }
    }
}
