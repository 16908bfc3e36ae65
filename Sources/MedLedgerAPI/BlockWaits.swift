import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPLimits
import MedLedgerNode

/// `GET /v1/blocks/{height}?wait=`: a block not yet committed is answered as soon as it
/// commits, so a client following the chain (a monitor, `medledger bench`'s watcher) needs
/// one request per block rather than one every few milliseconds while it waits.
///
/// Anyone may ask, unsigned, so a wait is bounded twice: in time (`maximumMilliseconds`) and
/// in number (`limit` at once per node, `Limits.httpBlockWaitsMax` unless `buildRouter` is
/// told otherwise; one more is a 503 at once, never a queue). A waiting request holds no lock
/// and no store read: it parks on the node's `HeightFeed`.
final class BlockWaits: Sendable {
    /// The longest `wait` a request may name; longer is a 400.
    static let maximumMilliseconds = Limits.httpBlockWaitMaxMilliseconds
    private let places: BoundedCounts<Never>

    init(limit: Int) { places = BoundedCounts(limit: limit) }

    var limit: Int { places.limit }

    /// The block at `height`, waiting up to `milliseconds` for it to commit; nil when it has
    /// not by then.
    /// - Throws: a 503 problem when `limit` waits are already in progress.
    func block(at height: Height, waitingUpTo milliseconds: UInt64, on node: LedgerNode) async throws -> StoredBlock? {
        guard places.admit() == nil else {
            throw APIProblem(
                status: .serviceUnavailable,
                detail: "the node serves its limit of \(limit) waiting block requests; retry later", field: "wait")
        }
        defer { places.release() }
        let deadline = ContinuousClock.now + .milliseconds(Int64(milliseconds))
        while true {
            // The feed's height first: a block committed after this read ends the wait below.
            let seen = node.heights.current
            if seen >= height { return try await node.block(at: height) }
            let left = deadline - ContinuousClock.now
            guard left > .zero, !Task.isCancelled else { return nil }
            _ = await node.heights.wait(after: seen, timeout: left)
        }
    }
}
