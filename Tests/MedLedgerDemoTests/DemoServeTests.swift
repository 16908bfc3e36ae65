import AsyncHTTPClient
import Foundation
import MedLedgerDemo
import MedLedgerStorage
import NIOCore
import Testing

/// `demo --serve`: after the story the node keeps going and serves the portal and the API
/// over a real socket; cancelling stops it.
@Suite struct DemoServeTests {
    @Test func serveModeServesThePortalAndTheAPIUntilStopped() async throws {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-demo-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: url) }
        let story = DemoStory(directory: DataDirectory(url), say: { _ in })
        let outcome = try await story.run()
        #expect(story.keyFiles.map(\.name).contains("patient"))
        #expect(story.keyFiles.allSatisfy { FileManager.default.fileExists(atPath: $0.path) })

        let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
        let server = Task {
            try await story.serve(host: "127.0.0.1", port: 0) { port in
                continuation.yield(port)
                continuation.finish()
            }
        }
        var iterator = ports.makeAsyncIterator()
        let port = try #require(await iterator.next())
        let base = "http://127.0.0.1:\(port)"

        let index = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/"), timeout: .seconds(10))
        #expect(index.status == .ok)
        #expect(index.headers.first(name: "Content-Type") == "text/html; charset=utf-8")
        #expect(index.headers.first(name: "Content-Security-Policy")?.contains("default-src 'self'") == true)
        let page = String(buffer: try await index.body.collect(upTo: 1 << 20))
        #expect(page.contains("<html"))

        let status = try await HTTPClient.shared.execute(
            HTTPClientRequest(url: base + "/v1/status"), timeout: .seconds(10))
        #expect(status.status == .ok)
        let json =
            try JSONSerialization.jsonObject(with: Data(buffer: try await status.body.collect(upTo: 1 << 20)))
            as? [String: Any] ?? [:]
        #expect(json["chainId"] as? String == "medledger-demo")
        #expect((json["height"] as? Int ?? 0) >= Int(outcome.blocks.rawValue))

        server.cancel()
        try? await server.value
        // Stopped: the port no longer answers.
        await #expect(throws: (any Error).self) {
            _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: base + "/v1/status"), timeout: .seconds(2))
        }
    }
}
