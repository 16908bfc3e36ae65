import MedLedgerCore
import Testing

@testable import MedLedgerNode

/// Submitted transactions go to the other validators in few messages, without holding back
/// the first one after a quiet spell (`GossipOutbox`).
@Suite struct GossipOutboxTests {
    static func registrations(_ count: Int) -> [Transaction] {
        (0..<count).map { _ in
            let keys = IdentityKeys.generate()
            return Transaction(
                chainID: "gossip-test", signer: keys.identityID, keys: keys, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: keys)))
        }
    }

    @Test func theFirstAfterAQuietSpellGoesAtOnceAndTheNextWaitForTheWindow() {
        var outbox = GossipOutbox(windowMilliseconds: 10)
        let txs = Self.registrations(4)
        #expect(outbox.add([txs[0]], now: 1_000) == .init(messages: [[txs[0]]]))
        #expect(outbox.add([txs[1]], now: 1_003) == .init(flushAt: 1_010))
        #expect(outbox.add([txs[2], txs[3]], now: 1_006) == .init(), "one timer per window")
        #expect(outbox.flush(now: 1_009).isEmpty, "not before the window has passed")
        #expect(outbox.flush(now: 1_010) == [[txs[1], txs[2], txs[3]]], "the held ones go as one message")
        #expect(outbox.pending.isEmpty)
        #expect(outbox.flush(now: 1_030).isEmpty, "a second flush has nothing to send")
    }

    @Test func afterTheWindowTheNextGoesAtOnceAgain() {
        var outbox = GossipOutbox(windowMilliseconds: 10)
        let txs = Self.registrations(2)
        #expect(outbox.add([txs[0]], now: 50) == .init(messages: [[txs[0]]]))
        #expect(outbox.add([txs[1]], now: 60) == .init(messages: [[txs[1]]]))
    }

    @Test func aFullMessageDoesNotWaitForTheWindow() {
        var outbox = GossipOutbox(windowMilliseconds: 10)
        let first = Self.registrations(1)
        let many = Self.registrations(Limits.peerMessageMaxTransactions + 3)
        #expect(outbox.add(first, now: 0) == .init(messages: [first]))
        let step = outbox.add(many, now: 2)
        #expect(step.messages == [Array(many.prefix(Limits.peerMessageMaxTransactions))], "a full message is not held")
        #expect(step.flushAt == 12, "the remainder waits a window from the full message")
        #expect(outbox.pending == Array(many.suffix(3)))
        #expect(outbox.add([], now: 3) == .init())
        #expect(outbox.flush(now: 12) == [Array(many.suffix(3))])
    }

    @Test func aLateTimerSendsEverythingHeld() {
        var outbox = GossipOutbox(windowMilliseconds: 10)
        let txs = Self.registrations(3)
        _ = outbox.add([txs[0]], now: 0)
        #expect(outbox.add([txs[1]], now: 5) == .init(flushAt: 10))
        #expect(outbox.add([txs[2]], now: 25) == .init(messages: [[txs[1], txs[2]]]), "a late timer is not waited for")
        #expect(outbox.flush(now: 26).isEmpty)
    }
}
