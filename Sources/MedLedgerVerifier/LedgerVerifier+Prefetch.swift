import Dispatch
import Foundation
import MedLedgerCore
import MedLedgerStorage

extension LedgerVerifier {
    /// A block read from the store and decoded, with the transactions whose signatures
    /// verified: everything about a block that does not depend on the blocks before it.
    struct PreparedBlock: Sendable {
        let height: Height
        let raw: RawBlock
        let header: BlockHeader
        let lastCommit: CommitCertificate?
        let transactions: [Transaction]
        let certificate: CommitCertificate
        /// Hashes of the transactions whose signature verified. The others are checked again
        /// by the contracts, which refuse them: the receipts then differ from the stored ones.
        let goodSignatures: Set<Hash256>
    }

    /// Reads, decodes and checks the signatures of the blocks ahead of the replay, on other
    /// threads, so that on a machine with several cores the signature checks (most of a
    /// replay's work) run beside the sequential execution. Blocks come out in height order;
    /// a failure is handed out at the height where it occurred, so the first bad height is
    /// still the one reported.
    final class BlockPrefetch: @unchecked Sendable {
        private let store: any LedgerDatabase
        private let latest: Height
        /// How many prepared blocks may wait (bounds memory: a block is at most a few MB).
        private let window: Int
        private let condition = NSCondition()
        private var ready: [Height: Result<PreparedBlock, VerificationFailure>] = [:]
        private var stopped = false

        init(store: any LedgerDatabase, latest: Height, window: Int = 8) {
            precondition(window >= 1)
            self.store = store
            self.latest = latest
            self.window = window
        }

        /// Starts preparing blocks 1…latest on a background thread.
        func start() {
            guard latest > 0 else { return }
            Thread.detachNewThread { [self] in produce() }
        }

        /// The prepared block at `height` (the next one in order), waiting for it if needed.
        func take(_ height: Height) throws(VerificationFailure) -> PreparedBlock {
            condition.lock()
            while ready[height] == nil { condition.wait() }
            let result = ready.removeValue(forKey: height)!
            condition.broadcast()
            condition.unlock()
            return try result.get()
        }

        /// Stops the producer (after a failure, or at the end).
        func stop() {
            condition.lock()
            stopped = true
            condition.broadcast()
            condition.unlock()
        }

        private func produce() {
            var height: Height = 1
            while height <= latest {
                condition.lock()
                while ready.count >= window && !stopped { condition.wait() }
                let done = stopped
                condition.unlock()
                if done { return }
                let result = Result { () throws(VerificationFailure) in try Self.prepare(height, store: store) }
                condition.lock()
                ready[height] = result
                condition.broadcast()
                condition.unlock()
                height += 1
            }
        }

        static func prepare(_ height: Height, store: any LedgerDatabase) throws(VerificationFailure) -> PreparedBlock {
            func fail(_ reason: String) -> VerificationFailure {
                VerificationFailure(location: "block \(height)", reason: reason)
            }
            let raw: RawBlock
            do {
                guard let found = try store.rawBlock(at: height) else { throw fail("missing") }
                raw = found
            } catch let failure as VerificationFailure { throw failure } catch { throw fail("\(error)") }
            let header: BlockHeader
            let transactions: [Transaction]
            let certificate: CommitCertificate
            let lastCommit: CommitCertificate?
            do {
                header = try BlockHeader.decode(canonical: raw.header)
                (lastCommit, transactions) = try Block.decodeBody(raw.body)
                certificate = try CommitCertificate.decode(canonical: raw.certificate)
            } catch { throw fail("does not decode: \(error)") }
            return PreparedBlock(
                height: height, raw: raw, header: header, lastCommit: lastCommit, transactions: transactions,
                certificate: certificate, goodSignatures: goodSignatures(transactions))
        }

        /// Verifies the signatures on every core.
        static func goodSignatures(_ transactions: [Transaction]) -> Set<Hash256> {
            let workers = max(1, min(ProcessInfo.processInfo.activeProcessorCount, transactions.count / 32))
            let shares = SignatureShares(workers: workers)
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                shares.set(
                    worker,
                    stride(from: worker, to: transactions.count, by: workers).filter {
                        transactions[$0].hasValidSignature
                    })
            }
            var good = Set<Hash256>(minimumCapacity: transactions.count)
            for index in shares.all { good.insert(transactions[index].hash) }
            return good
        }
    }
}

/// The positions of the good signatures each worker found, written under a lock.
private final class SignatureShares: @unchecked Sendable {
    private let lock = NSLock()
    private var shares: [[Int]]
    init(workers: Int) { shares = Array(repeating: [], count: workers) }
    func set(_ worker: Int, _ positions: [Int]) { lock.withLock { shares[worker] = positions } }
    var all: [Int] { lock.withLock { shares.flatMap { $0 } } }
}
