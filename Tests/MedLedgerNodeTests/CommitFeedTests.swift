import MedLedgerCore
import MedLedgerNode
import Testing

/// The commit feed and the producer's wake-up replace polling, so neither may lose a wake-up
/// that races the wait, nor leave a waiter behind.
@Suite struct CommitFeedTests {
    let hash = Hash256.of([1])

    @Test func aCommitPublishedBeforeTheWaitIsNotMissed() async {
        let feed = CommitFeed()
        let ticket = feed.register(hash)
        feed.publish([hash])  // lands between the caller's look at the store and its wait
        #expect(await feed.wait(ticket, timeout: .seconds(5)))
        #expect(feed.openRegistrations == 0)
    }

    @Test func aWaiterIsWokenByTheCommit() async {
        let feed = CommitFeed()
        let ticket = feed.register(hash)
        let waiter = Task { await feed.wait(ticket, timeout: .seconds(30)) }
        try? await Task.sleep(for: .milliseconds(20))
        feed.publish([Hash256.of([2]), hash])
        #expect(await waiter.value)
        #expect(feed.openRegistrations == 0)
    }

    @Test func aWaitEndsAtItsTimeoutAndLeavesNothingBehind() async {
        let feed = CommitFeed()
        let ticket = feed.register(hash)
        #expect(await feed.wait(ticket, timeout: .milliseconds(10)) == false)
        #expect(feed.openRegistrations == 0)
        feed.publish([hash])  // too late: nobody is woken, nothing is kept
        #expect(feed.openRegistrations == 0)
    }

    @Test func cancelledRegistrationsAreDropped() {
        let feed = CommitFeed()
        let tickets = (0..<5).map { _ in feed.register(hash) }
        tickets.forEach(feed.cancel)
        #expect(feed.openRegistrations == 0)
    }

    @Test func aSignalBeforeTheWaitIsKept() async {
        let signal = WakeSignal()
        signal.signal()
        let clock = ContinuousClock()
        let start = clock.now
        await signal.wait(timeout: .seconds(30))
        #expect(clock.now - start < .seconds(10))
    }

    @Test func aWaitWithoutSignalEndsAtItsTimeout() async {
        let signal = WakeSignal()
        await signal.wait(timeout: .milliseconds(10))
        // And the next signal is kept for the next wait, not swallowed by the expired one.
        signal.signal()
        let clock = ContinuousClock()
        let start = clock.now
        await signal.wait(timeout: .seconds(30))
        #expect(clock.now - start < .seconds(10))
    }
}
