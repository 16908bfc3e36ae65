import AsyncHTTPClient
import Hummingbird
import Logging
import NIOCore
import NIOPosix
import Testing

@testable import MedLedgerAPI
@testable import MedLedgerHTTPLimits
import MedLedgerTesting

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
            for _ in 0..<3 { connections.append(try await SilentConnection.open(port)) }
            let open = try await SilentConnection.openAfterRefusals(connections)
            try #require(open.count == 2)
            try await open[0].close()
            // The closed connection's place lets a request through.
            #expect(try await Self.get("/quick", port: port) == "done")
            #expect(open[1].isActive)
            try await open[1].close()
        }
    }

    @Test func oneAddressCannotTakeEveryPlace() async throws {
        let limits = APIConnectionLimits(maxConnections: 8, maxConnectionsPerAddress: 2, idleTimeout: .seconds(60))
        try await Self.withServer(limits) { port in
            // Three from one address: exactly one is refused, with five places left in all.
            var connections: [any Channel] = []
            for _ in 0..<3 { connections.append(try await SilentConnection.open(port, from: "127.0.0.2")) }
            let open = try await SilentConnection.openAfterRefusals(connections)
            try #require(open.count == 2)
            // Another address still gets in: a request from 127.0.0.1 is answered.
            #expect(try await Self.get("/quick", port: port, within: 0) == "done")
            // And when one of the first address's closes, that address has a place again: a
            // new connection from it is answered (once the server has seen the close, which
            // a connection made at once may beat).
            try await open[0].close()
            let deadline = ContinuousClock.now + .seconds(10)
            var answer = ""
            while !answer.hasSuffix("done"), ContinuousClock.now < deadline {
                let again = try await SilentConnection.open(port, from: "127.0.0.2")
                answer = try await SilentConnection.answer(to: "/quick", on: again)
            }
            #expect(answer.hasPrefix("HTTP/1.1 200") && answer.hasSuffix("done"))
            #expect(open[1].isActive)
            try await open[1].close()
        }
    }

    @Test func theGateCountsInAllAndByAddressAndForgetsAddressesThatLeave() throws {
        let gate = ConnectionGate(limit: 3, perAddressLimit: 2)
        let first = ClientAddress(bytes: [10, 0, 0, 1])
        let second = ClientAddress(bytes: [10, 0, 0, 2])
        #expect(gate.admit(first) == nil && gate.admit(first) == nil)
        let perAddress = try #require(gate.admit(first))
        #expect(perAddress.perAddress && "\(perAddress)".contains("2 open connections from one address"))
        #expect(gate.admit(second) == nil)
        let total = try #require(gate.admit(nil))  // no address: counted in the total only
        #expect(!total.perAddress && "\(total)".contains("limit of 3 open connections"))
        gate.release(first)
        #expect(gate.admit(nil) == nil)
        #expect(gate.current() == 3 && gate.current(from: first) == 1 && gate.current(from: second) == 1)
        for address in [first, second, nil] { gate.release(address) }
        #expect(gate.current() == 0 && gate.current(from: first) == 0 && gate.current(from: second) == 0)
    }

    @Test func anIPv6ClientCountsByItsSlash64AndAMappedIPv4ByItsAddress() throws {
        let a = try #require(ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2::1", port: 1)))
        let b = try #require(ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:2:ffff::9", port: 2)))
        let c = try #require(ClientAddress(try SocketAddress(ipAddress: "2001:db8:1:3::1", port: 1)))
        #expect(a == b && a != c && "\(a)" == "2001:db8:1:2::/64")
        let mapped = try #require(ClientAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.7", port: 1)))
        let plain = try #require(ClientAddress(try SocketAddress(ipAddress: "192.0.2.7", port: 1)))
        #expect(mapped == plain && "\(plain)" == "192.0.2.7")
        let other = try #require(ClientAddress(try SocketAddress(ipAddress: "::ffff:192.0.2.8", port: 1)))
        #expect(other != plain)
        #expect(ClientAddress(nil) == nil)
    }

    @Test func anIdleConnectionIsClosedButARequestBeingAnsweredIsNot() async throws {
        try await Self.withServer(APIConnectionLimits(maxConnections: 16, idleTimeout: .milliseconds(300))) { port in
            let idle = try await SilentConnection.open(port)
            #expect(try await Self.closedByServer(idle, within: 10))
            // Answered after a second, three idle timeouts: the connection stays for it.
            #expect(try await Self.get("/slow", port: port, within: 0) == "done")
        }
    }

    @Test func theStandardLimitLeavesHalfTheDescriptors() {
        let standard = APIConnectionLimits.standard
        #expect(standard.maxConnections <= max(16, APIConnectionLimits.descriptorLimit() / 2))
        #expect(standard.maxConnections <= 4_096 && standard.maxConnections >= 16)
        #expect(standard.maxConnectionsPerAddress == min(standard.maxConnections, max(16, standard.maxConnections / 8)))
        #expect(standard.idleTimeout == .seconds(60))
        #expect(APIConnectionLimits.standard(perAddress: 3).maxConnectionsPerAddress == 3)
        #expect(APIConnectionLimits.standard(perAddress: 1_000_000).maxConnectionsPerAddress == standard.maxConnections)
    }

    @Test func aBoundedCountGivesPlacesBackAndNeverPassesItsLimit() {
        let gate = BoundedCounts<Never>(limit: 2)
        #expect(gate.admit() == nil && gate.admit() == nil)
        #expect(gate.admit() == BoundedCounts<Never>.Refusal(total: true, key: false))
        #expect(gate.current() == 2)
        gate.release()
        #expect(gate.admit() == nil)
        #expect(gate.admit() != nil)
    }
}
