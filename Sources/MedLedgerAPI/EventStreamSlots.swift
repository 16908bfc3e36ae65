import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPLimits

/// The bounds of `GET /v1/events`. Defaults as in docs/spec/api.md; tests shorten them.
public struct EventStreamSettings: Sendable {
    /// Open streams one identity may hold (a fifth is a 429).
    public var streamsPerIdentity: Int
    /// Open streams the node serves in all (one more is a 503).
    public var streamsPerNode: Int
    /// A `: keep-alive` comment after this long without an event, so proxies and the client
    /// see the connection live.
    public var keepAlive: Duration
    /// A stream ends after this long; the client reconnects with `Last-Event-ID` (and a fresh
    /// signature, so a suspended identity's stream does not outlive the suspension long).
    public var maximumDuration: Duration
    /// Events read from the store at a time while replaying.
    public var chunkEvents: Int

    public init(
        streamsPerIdentity: Int = 4, streamsPerNode: Int = 256, keepAlive: Duration = .seconds(15),
        maximumDuration: Duration = .seconds(30 * 60), chunkEvents: Int = 100
    ) {
        precondition(streamsPerIdentity >= 1 && streamsPerNode >= streamsPerIdentity)
        precondition(chunkEvents >= 1 && chunkEvents <= PageLimits.maxItems)
        self.streamsPerIdentity = streamsPerIdentity
        self.streamsPerNode = streamsPerNode
        self.keepAlive = keepAlive
        self.maximumDuration = maximumDuration
        self.chunkEvents = chunkEvents
    }
}

/// Counts the open event streams, per identity and in all, and refuses one past the bounds.
final class EventStreamSlots: Sendable {
    /// One open stream; the count drops when the last reference goes, so a stream whose body
    /// never runs (the client left before it started) gives its slot back too.
    final class Slot: Sendable {
        let owner: EventStreamSlots
        let identity: IdentityID
        init(owner: EventStreamSlots, identity: IdentityID) {
            self.owner = owner
            self.identity = identity
        }
        deinit { owner.release(identity) }
    }

    private let settings: EventStreamSettings
    private let counts: BoundedCounts<IdentityID>

    init(settings: EventStreamSettings) {
        self.settings = settings
        counts = BoundedCounts(limit: settings.streamsPerNode, perKeyLimit: settings.streamsPerIdentity)
    }

    /// Streams open now (for tests).
    var open: Int { counts.current() }

    /// Takes a slot for `identity`.
    /// - Throws: a 429 problem when the identity has its streams open, 503 when the node has.
    func acquire(_ identity: IdentityID) throws -> Slot {
        if let refusal = counts.admit(identity) {
            guard !refusal.key else {
                throw APIProblem(
                    status: .tooManyRequests,
                    detail: "this identity already has \(settings.streamsPerIdentity) event streams open")
            }
            throw APIProblem(
                status: .serviceUnavailable,
                detail: "the node serves its limit of \(settings.streamsPerNode) event streams; retry later")
        }
        return Slot(owner: self, identity: identity)
    }

    private func release(_ identity: IdentityID) { counts.release(identity) }
}

/// Ends a stream's wait between blocks when the server shuts down gracefully, so a 30-minute
/// stream does not hold up a stop.
final class StreamStop: @unchecked Sendable {
    private let lock = NSLock()
    private var stopped = false
    private var waiting: Task<Bool, Never>?

    var isStopped: Bool { lock.withLock { stopped } }

    func stop() {
        let task: Task<Bool, Never>? = lock.withLock {
            stopped = true
            return waiting
        }
        task?.cancel()
    }

    /// Runs `wait` unless stopped; a stop (or the caller's cancellation) cancels it.
    /// - Returns: its answer, or nil when the stream must end.
    func run(_ wait: @escaping @Sendable () async -> Bool) async -> Bool? {
        let task = Task { await wait() }
        let started: Bool = lock.withLock {
            guard !stopped else { return false }
            waiting = task
            return true
        }
        guard started else {
            task.cancel()
            return nil
        }
        let answer = await withTaskCancellationHandler {
            await task.value
        } onCancel: {
            task.cancel()
        }
        lock.withLock { waiting = nil }
        return isStopped || Task.isCancelled ? nil : answer
    }
}
