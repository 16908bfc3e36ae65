import MedLedgerHTTPLimits
import MedLedgerTesting
import NIOCore
import Testing

/// The FHIR gateway bounds its connections as the node's API does: in all, and from one
/// client address, so that one client on the organization's network cannot hold every place.
@Suite(.timeLimit(.minutes(1))) struct GatewayConnectionLimitTests {
    @Test func oneAddressCannotTakeEveryPlaceAtTheGateway() async throws {
        let limits = APIConnectionLimits(maxConnections: 8, maxConnectionsPerAddress: 2, idleTimeout: .seconds(60))
        let fixture = try await GatewayFixture.start(limits: limits)
        defer { fixture.stop() }
        let port = try #require(Int(fixture.gatewayURL.split(separator: ":").last?.split(separator: "/").first ?? ""))
        // Three from one address: exactly one is refused.
        var connections: [any Channel] = []
        for _ in 0..<3 { connections.append(try await SilentConnection.open(port, from: "127.0.0.2")) }
        let open = try await SilentConnection.openAfterRefusals(connections)
        #expect(open.count == 2)
        // Another address still gets its answer.
        let other = try await SilentConnection.open(port, from: "127.0.0.1")
        let answer = try await SilentConnection.answer(to: "/fhir/metadata", on: other)
        #expect(answer.hasPrefix("HTTP/1.1 200") && answer.contains("CapabilityStatement"))
        for connection in open { try await connection.close() }
    }
}
