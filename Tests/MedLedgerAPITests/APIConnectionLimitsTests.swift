import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import MedLedgerAPI

/// The API closes a connection past its limit as soon as it is accepted, closes one that
/// sends nothing for the idle timeout, and leaves a request being answered alone.
@Suite(.timeLimit(.minutes(1))) struct APIConnectionLimitsTests {
    /// A server on a free port with `limits`, `/slow` answering after a second; runs `body`
    /// with the port, then stops.
    static func withServer(_ limits: APIConnectionLimits, _ body: (Int) async throws -> Void) async throws {
        let router = Router()
        router.get("/slow") { _, _ in
            try await Task.sleep(for: .seconds(1))
            return "done"
        }
        router.get("/quick") { _, _ in "done" }
        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.connection-limits-test")
        logger.logLevel = .critical
        let app = Application(
            router: router, server: .eventLoopBoundHTTP1(tls: nil, limits: limits),
            configuration: .init(address: .hostname("127.0.0.1", port: 0)),
            onServerRunning: { continuation.yield($0.localAddress?.port ?? 0) }, logger: logger)
        let server = Task { try await app.runService() }
        defer { server.cancel() }
        var iterator = ports.makeAsyncIterator()
        try await body(try #require(await iterator.next()))
    }

    /// A TCP connection that sends nothing.
    static func silentConnection(_ port: Int) async throws -> any Channel {
        try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
    }

    /// True when the server closed `channel` within `seconds`.
    static func closedByServer(_ channel: any Channel, within seconds: Double) async throws -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int64(seconds * 1_000))
        while channel.isActive, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
        return !channel.isActive
    }

    /// GET `path`, retrying a refused connection until `seconds` pass.
    static func get(_ path: String, port: Int, within seconds: Int64 = 10) async throws -> String {
        let client = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = client.shutdown() }
        let deadline = ContinuousClock.now + .seconds(seconds)
        while true {
            do {
                let response = try await client.execute(
                    HTTPClientRequest(url: "http://127.0.0.1:\(port)\(path)"), timeout: .seconds(10))
                return String(buffer: try await response.body.collect(upTo: 1_024))
            } catch  where ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    @Test func aConnectionPastTheLimitIsClosedAndAPlaceComesBackWhenOneCloses() async throws {
        try await Self.withServer(APIConnectionLimits(maxConnections: 2, idleTimeout: .seconds(60))) { port in
            // Which of three is refused depends on which event loop sets it up first; exactly
            // one is, long before the 60 s idle timeout.
            var connections: [any Channel] = []
            for _ in 0..<3 { connections.append(try await Self.silentConnection(port)) }
            let deadline = ContinuousClock.now + .seconds(10)
            while connections.allSatisfy(\.isActive), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(10))
            }
            try await Task.sleep(for: .milliseconds(200))
            let open = connections.filter(\.isActive)
            try #require(open.count == 2)
            try await open[0].close()
            // The closed connection's place lets a request through.
            #expect(try await Self.get("/quick", port: port) == "done")
            #expect(open[1].isActive)
            try await open[1].close()
        }
    }

    @Test func anIdleConnectionIsClosedButARequestBeingAnsweredIsNot() async throws {
        try await Self.withServer(APIConnectionLimits(maxConnections: 16, idleTimeout: .milliseconds(300))) { port in
            let idle = try await Self.silentConnection(port)
            #expect(try await Self.closedByServer(idle, within: 10))
            // Answered after a second, three idle timeouts: the connection stays for it.
            #expect(try await Self.get("/slow", port: port, within: 0) == "done")
        }
    }

    @Test func theStandardLimitLeavesHalfTheDescriptors() {
        let standard = APIConnectionLimits.standard
        #expect(standard.maxConnections <= max(16, APIConnectionLimits.descriptorLimit() / 2))
        #expect(standard.maxConnections <= 4_096 && standard.maxConnections >= 16)
        #expect(standard.idleTimeout == .seconds(60))
    }

    @Test func aBoundedCountGivesPlacesBackAndNeverPassesItsLimit() {
        let gate = BoundedCount(limit: 2)
        #expect(gate.admit() && gate.admit())
        #expect(!gate.admit())
        #expect(gate.current == 2)
        gate.release()
        #expect(gate.admit())
        #expect(!gate.admit())
    }
}
