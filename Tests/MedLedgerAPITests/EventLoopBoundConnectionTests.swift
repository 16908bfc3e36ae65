import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import MedLedgerAPI

/// The API's HTTP connections run their handlers on the event loop that owns the socket, and
/// come back to it after awaiting an actor elsewhere (docs/performance.md, "Thread hops per
/// request").
@Suite struct EventLoopBoundConnectionTests {
    actor Elsewhere {
        func value() -> Int { 7 }
    }

    @Test func aTaskPreferringTheLoopRunsOnItBeforeAndAfterAnActorCall() async {
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let executor = EventLoopTaskExecutor(eventLoop: loop)
        let (before, value, after) = await withTaskExecutorPreference(executor) {
            let before = loop.inEventLoop
            let value = await Elsewhere().value()
            return (before, value, loop.inEventLoop)
        }
        #expect(before && after)
        #expect(value == 7)
        #expect(!loop.inEventLoop)  // the test's own task is not on the loop
    }

    @Test(.timeLimit(.minutes(1)))
    func aServedRequestIsHandledOnAnEventLoop() async throws {
        let router = Router()
        router.get("/where") { _, _ in
            // nil outside NIO's threads, such as Swift's global pool.
            MultiThreadedEventLoopGroup.currentEventLoop == nil ? "pool" : "event loop"
        }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.event-loop-test")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: .eventLoopBoundHTTP1(tls: nil, limits: .standard),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        let body: String
        do {
            let response = try await client.execute(
                HTTPClientRequest(url: "http://127.0.0.1:\(port)/where"), timeout: .seconds(10))
            body = String(buffer: try await response.body.collect(upTo: 1_024))
        } catch {
            try await client.shutdown()
            throw error
        }
        try await client.shutdown()
        #expect(body == "event loop")
    }
}
