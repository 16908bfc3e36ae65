import MedLedgerCore
import Synchronization

/// The transactions whose signatures this node verified lately, by hash, so that no
/// transaction's signature is verified twice when it reaches the node both ways.
///
/// Why: under load a peer's proposal often arrives before the gossip that carried its
/// transactions has been checked. The block check then verifies those signatures inline, and
/// the gossip check verified them again a moment later, for transactions already committed.
/// Both now look here first. A hash names a transaction's whole encoding, its signature
/// included, so a hash once verified stays verified: caching it never changes an outcome,
/// only saves the work. Shared between the node actor and the gossip checks' tasks, so a
/// lock guards it; the oldest hash goes first once `capacity` are held.
public final class VerifiedSignatures: Sendable {
    private struct Ring {
        var hashes: Set<Hash256> = []
        /// Insertion order, as a ring: `order[next]` is the oldest once the ring is full.
        var order: [Hash256] = []
        var next = 0
    }

    let capacity: Int
    private let ring = Mutex(Ring())

    /// - Parameter capacity: hashes remembered (`Limits.verifiedSignaturesMax` by default).
    public init(capacity: Int = Limits.verifiedSignaturesMax) {
        precondition(capacity > 0, "the cache remembers something")
        self.capacity = capacity
    }

    public func contains(_ hash: Hash256) -> Bool { ring.withLock { $0.hashes.contains(hash) } }

    /// How many hashes are remembered now.
    var count: Int { ring.withLock { $0.hashes.count } }

    func insert(_ hash: Hash256) { insert([hash]) }

    private func insert(_ hashes: some Sequence<Hash256>) {
        ring.withLock { ring in
            for hash in hashes where ring.hashes.insert(hash).inserted {
                if ring.order.count < capacity {
                    ring.order.append(hash)
                } else {
                    ring.hashes.remove(ring.order[ring.next])
                    ring.order[ring.next] = hash
                    ring.next = (ring.next + 1) % capacity
                }
            }
        }
    }

    /// Whether `tx`'s signature is valid, verifying it only when this cache has not seen it
    /// verified; `verified` says whether that took a verification. An invalid signature is
    /// not remembered (a forger could otherwise push honest hashes out for free).
    public func isValid(_ tx: Transaction) -> (valid: Bool, verified: Bool) {
        if contains(tx.hash) { return (true, false) }
        guard tx.hasValidSignature else { return (false, true) }
        insert(tx.hash)
        return (true, true)
    }

    /// The transactions of `batch` whose signatures are valid, in order, and how many
    /// verifications that took.
    ///
    /// The batch is looked up and remembered a chunk at a time (`chunkSize`), not per
    /// transaction and not once for the whole batch. Per transaction, the gossip checks
    /// (several threads at once) queued on the lock (1.6 % of a validator's samples in a
    /// profiled burst, most of it in the kernel's futex calls). Once per batch, a proposal
    /// checked on the node actor while a long batch was being verified found none of that
    /// batch's work yet, and the batch had looked itself up before the proposal's checks
    /// were remembered: about 3 % of a burst's signatures were verified twice that way.
    public func validOnes(_ batch: [Transaction]) -> (valid: [Transaction], verified: Int) {
        var valid = [Transaction]()
        valid.reserveCapacity(batch.count)
        var verified = 0
        // A transaction repeated within the batch is verified once, as it was when each
        // lookup took the lock: the set holds what this batch verified.
        var newlyVerifiedSet = Set<Hash256>()
        var start = batch.startIndex
        while start < batch.endIndex {
            let chunk = batch[start..<min(start + Self.chunkSize, batch.endIndex)]
            start = chunk.endIndex
            let seen = ring.withLock { ring in chunk.map { ring.hashes.contains($0.hash) } }
            var newlyVerified = [Hash256]()
            for (tx, isSeen) in zip(chunk, seen) {
                if isSeen || newlyVerifiedSet.contains(tx.hash) {
                    valid.append(tx)
                    continue
                }
                verified += 1
                guard tx.hasValidSignature else { continue }
                valid.append(tx)
                newlyVerified.append(tx.hash)
                newlyVerifiedSet.insert(tx.hash)
            }
            if !newlyVerified.isEmpty { insert(newlyVerified) }
        }
        return (valid, verified)
    }

    /// Transactions looked up and remembered together by `validOnes`: about 2 ms of
    /// verification on a busy core, short enough that a proposal's check and a gossip batch
    /// rarely verify the same signature, long enough that the lock is taken rarely.
    static let chunkSize = 16
}
