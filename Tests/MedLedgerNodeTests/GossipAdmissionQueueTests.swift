import MedLedgerCore
import MedLedgerTesting
import Testing

@testable import MedLedgerNode

/// Gossiped batches are checked on tasks of their own but reach the node in the order they
/// arrived: otherwise a signer's nonce n+1 could be admitted before n, and the mempool then
/// refuses n (see `GossipAdmissionQueue`).
@Suite struct GossipAdmissionQueueTests {
    /// What the queue handed to the node, in order, with when each hand-over began and ended.
    actor Recorder {
        private(set) var log: [String] = []
        func note(_ entry: String) { log.append(entry) }
    }

    static let signer = IdentityKeys.deterministic(seed: "gossip-order")
    /// The validators the batches come from.
    static let peer = IdentityKeys.deterministic(seed: "gossip-peer").identityID
    static let otherPeer = IdentityKeys.deterministic(seed: "gossip-other-peer").identityID

    /// A limit of `transactions` and `bytes`, all of it open to one peer.
    static func limit(transactions: Int, bytes: Int) -> GossipAdmissionQueue.Limit {
        let load = GossipAdmissionQueue.Load(transactions: transactions, bytes: bytes)
        return .init(total: load, perPeer: load)
    }

    /// A distinct transaction per nonce, named by its nonce in the recorder's log.
    static func transaction(_ nonce: UInt64) -> Transaction {
        let patient = IdentityKeys.deterministic(seed: "gossip-order-\(nonce)")
        return Transaction(
            chainID: "gossip-order", signer: signer.identityID, keys: signer, nonce: Nonce(nonce),
            payload: .registerPatient(RegisterPatient(keys: patient)))
    }

    static func names(_ batch: [Transaction]) -> String {
        batch.map { "\($0.nonce.rawValue)" }.joined(separator: "+")
    }

    @Test func batchesAreAdmittedInTicketOrderWhateverOrderTheirChecksFinish() async {
        let recorder = Recorder()
        let queue = GossipAdmissionQueue { batch in await recorder.note(Self.names(batch)) }
        await queue.finished(2, valid: [Self.transaction(3)])
        #expect(await recorder.log.isEmpty, "ticket 2 waits for 0 and 1")
        await queue.finished(0, valid: [Self.transaction(1)])
        #expect(await recorder.log == ["1"], "ticket 0 goes, 2 still waits for 1")
        await queue.finished(1, valid: [Self.transaction(2)])
        #expect(await recorder.log == ["1", "2", "3"])
    }

    /// `check` takes its ticket when called, so a large batch checked slowly still goes
    /// before a small one handed over after it; a forged signature is left out.
    @Test func checkedBatchesGoInCallOrderWithoutForgedTransactions() async throws {
        let recorder = Recorder()
        let queue = GossipAdmissionQueue { batch in await recorder.note(Self.names(batch)) }
        let large = (1...300).map { Self.transaction(UInt64($0)) }
        var bytes = Self.transaction(302).encoded
        bytes[bytes.count - 1] ^= 1  // the signature is the encoding's last 64 bytes
        let forged = try Transaction.decode(bytes)
        #expect(!forged.hasValidSignature)
        queue.check(large, from: Self.peer)
        queue.check([Self.transaction(301), forged], from: Self.otherPeer)
        await Self.wait(until: recorder, holds: 2)
        #expect(await recorder.log == [Self.names(large), "301"])
    }

    @Test func aBatchWithNothingValidKeepsItsPlaceButIsNotHandedOver() async {
        let recorder = Recorder()
        let queue = GossipAdmissionQueue { batch in await recorder.note(Self.names(batch)) }
        await queue.finished(1, valid: [Self.transaction(2)])
        await queue.finished(0, valid: [])
        #expect(await recorder.log == ["2"])
    }

    /// A batch whose check finishes while an earlier one is being handed over (the actor
    /// is re-entered at that `await`) goes after it, never beside it.
    @Test func aBatchFinishingDuringAHandOverWaitsForItsEnd() async {
        let recorder = Recorder()
        let late = LateFinisher()
        let queue = GossipAdmissionQueue { batch in
            let name = Self.names(batch)
            await recorder.note("start \(name)")
            if name == "1" {
                await late.finishTicketOneNow()
                for _ in 0..<20 { await Task.yield() }
            }
            await recorder.note("end \(name)")
        }
        await late.set(queue)
        await queue.finished(0, valid: [Self.transaction(1)])
        await late.waitUntilDone()
        #expect(await recorder.log == ["start 1", "end 1", "start 2", "end 2"])
    }

    /// A batch that would take the checks past the limit is dropped before any work, the
    /// first of a run of drops says so, and the room comes back once the node has the
    /// batches held: a rogue validator's flood cannot make checks pile up.
    @Test func batchesBeyondTheLimitAreDroppedUntilTheHeldOnesAreAdmitted() async {
        let recorder = Recorder()
        let gate = Gate()
        let queue = GossipAdmissionQueue(limit: Self.limit(transactions: 3, bytes: 1 << 20)) { batch in
            await gate.wait()
            await recorder.note(Self.names(batch))
        }
        let (one, two, three, four) = (
            Self.transaction(1), Self.transaction(2), Self.transaction(3), Self.transaction(4)
        )
        #expect(queue.check([one, two], from: Self.peer) == .checking)
        #expect(queue.check([three, four], from: Self.peer) == .dropped(firstOfARun: true), "2 + 2 is over 3")
        #expect(queue.check([three, four], from: Self.peer) == .dropped(firstOfARun: false))
        #expect(queue.check([three], from: Self.peer) == .checking, "2 + 1 fits")
        #expect(
            queue.check([four], from: Self.peer) == .dropped(firstOfARun: true), "a new run after a batch was taken")
        #expect(queue.held.transactions == 3)
        #expect(queue.held.bytes == [one, two, three].reduce(0) { $0 + $1.encoded.count })
        await gate.open()
        await Self.wait(until: recorder, holds: 2)
        #expect(await recorder.log == ["1+2", "3"])
        #expect(
            await eventually { queue.held.transactions == 0 && queue.held.bytes == 0 }, "admitted batches are released")
        #expect(queue.check([four], from: Self.peer) == .checking)
        await Self.wait(until: recorder, holds: 3)
        #expect(await recorder.log == ["1+2", "3", "4"])
    }

    /// The byte limit holds on its own, whatever the count.
    @Test func theByteLimitDropsALargeBatchThatFitsTheCount() {
        let small = Self.transaction(1)
        let queue = GossipAdmissionQueue(limit: Self.limit(transactions: 100, bytes: small.encoded.count * 2)) { _ in }
        #expect(queue.check([small, small, small], from: Self.peer) == .dropped(firstOfARun: true))
        #expect(queue.held.transactions == 0)
    }

    /// Full-sized gossip messages from one validator, sent faster than they are checked: the
    /// default limit lets its share through and drops the rest unchecked, and another
    /// validator's gossip is still taken. Then many validators flooding at once fill the
    /// total, and no more.
    @Test func aFloodOfFullMessagesHoldsAtMostItsShareAndTheTotal() async {
        let gate = Gate()
        // Only the limits are under test: verifying 20,000 signatures would add seconds.
        let queue = GossipAdmissionQueue(verify: { $0 }, admit: { _ in await gate.wait() })
        let message = (1...Limits.peerMessageMaxTransactions).map { Self.transaction(UInt64($0)) }
        let outcomes = (0..<200).map { _ in queue.check(message, from: Self.peer) }
        let share = Limits.gossipChecksMaxTransactionsPerPeer / Limits.peerMessageMaxTransactions
        #expect(outcomes.filter { $0 == .checking }.count == share)
        #expect(outcomes.filter { $0 != .checking }.count == 200 - share)
        #expect(queue.held(from: Self.peer).transactions == share * Limits.peerMessageMaxTransactions)
        #expect(queue.check(message, from: Self.otherPeer) == .checking, "the flood took only its own share")

        let validators = (0..<10).map { IdentityKeys.deterministic(seed: "gossip-flooder-\($0)").identityID }
        for validator in validators { for _ in 0..<50 { queue.check(message, from: validator) } }
        #expect(queue.held.transactions == Limits.gossipChecksMaxTransactions)
        #expect(queue.check([Self.transaction(1)], from: Self.otherPeer) == .dropped(firstOfARun: false))
        await gate.open()
        #expect(await eventually { queue.held.transactions == 0 && queue.held(from: Self.peer).transactions == 0 })
    }

    /// Waits (30 s at most, for a busy test run) until `recorder` holds `count` entries.
    static func wait(until recorder: Recorder, holds count: Int) async {
        let deadline = ContinuousClock.now + .seconds(30)
        while await recorder.log.count < count, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(10))
        }
    }

    /// Holds the queue's hand-overs until opened.
    actor Gate {
        private var isOpen = false
        private var waiting: [CheckedContinuation<Void, Never>] = []
        func wait() async {
            guard !isOpen else { return }
            await withCheckedContinuation { waiting.append($0) }
        }
        func open() {
            isOpen = true
            for continuation in waiting { continuation.resume() }
            waiting = []
        }
    }

    /// Finishes ticket 1 on a task of its own, as a parallel signature check would.
    actor LateFinisher {
        private var queue: GossipAdmissionQueue?
        private var task: Task<Void, Never>?
        func set(_ queue: GossipAdmissionQueue) { self.queue = queue }
        func finishTicketOneNow() {
            guard let queue else { return }
            task = Task { await queue.finished(1, valid: [GossipAdmissionQueueTests.transaction(2)]) }
        }
        func waitUntilDone() async { await task?.value }
    }
}
