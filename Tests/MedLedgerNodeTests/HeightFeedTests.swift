import MedLedgerCore
import Testing
@testable import MedLedgerNode

/// The broadcast the event streams wait on between blocks.
@Suite struct HeightFeedTests {
    @Test func aCommitWakesEveryWaiterBelowIt() async throws {
        let feed = HeightFeed()
        feed.publish(3)
        async let first = feed.wait(after: 3, timeout: .seconds(30))
        async let second = feed.wait(after: 3, timeout: .seconds(30))
        while feed.waiting < 2 { try await Task.sleep(for: .milliseconds(5)) }
        feed.publish(4)
        #expect(await first == true)
        #expect(await second == true)
        #expect(feed.waiting == 0)
    }

    @Test func aHeightAlreadyPastReturnsAtOnceAndATimeoutReportsNoGrowth() async {
        let feed = HeightFeed()
        feed.publish(5)
        let clock = ContinuousClock()
        let start = clock.now
        #expect(await feed.wait(after: 4, timeout: .seconds(30)) == true)
        #expect(clock.now - start < .seconds(5))
        #expect(await feed.wait(after: 5, timeout: .milliseconds(50)) == false)
        #expect(feed.waiting == 0)
    }

    @Test func cancellationEndsTheWait() async throws {
        let feed = HeightFeed()
        let waiter = Task { await feed.wait(after: 0, timeout: .seconds(60)) }
        while feed.waiting < 1 { try await Task.sleep(for: .milliseconds(5)) }
        waiter.cancel()
        #expect(await waiter.value == false)
        #expect(feed.waiting == 0)
    }
}
