import Foundation

/// A value guarded by a lock, shared between NIO event-loop threads and async callers.
///
/// Foundation's `NSLock` rather than `NIOConcurrencyHelpers`, because the node target only
/// depends on the NIOCore and NIOPosix products.
final class P2PLockedBox<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var value: Value

    init(_ value: Value) { self.value = value }

    /// Runs `body` with exclusive access to the value. Never call back into NIO or await inside.
    func withLock<Result>(_ body: (inout Value) throws -> Result) rethrows -> Result {
        lock.lock()
        defer { lock.unlock() }
        return try body(&value)
    }

    var current: Value { withLock { $0 } }
}
