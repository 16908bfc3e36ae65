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
    /// verifications that took. The lock is taken once to look the batch up and once to
    /// remember what verified, not twice per transaction: the gossip checks run on several
    /// threads at once, and per-transaction locking made them queue on it (1.6 % of a
    /// validator's samples in a profiled burst, most of it in the kernel's futex calls).
    public func validOnes(_ batch: [Transaction]) -> (valid: [Transaction], verified: Int) {
        let seen = ring.withLock { ring in batch.map { ring.hashes.contains($0.hash) } }
        var valid = [Transaction]()
        valid.reserveCapacity(batch.count)
        // Kept in batch order; a set too, so a transaction repeated within the batch is
        // verified once, as it was when each lookup took the lock.
        var newlyVerified = [Hash256]()
        var newlyVerifiedSet = Set<Hash256>()
        var verified = 0
        for (tx, isSeen) in zip(batch, seen) {
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
        return (valid, verified)
    }
}
