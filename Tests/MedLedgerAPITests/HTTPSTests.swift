import AsyncHTTPClient
import Foundation
import Logging
import MedLedgerAPI
import MedLedgerClient
import MedLedgerCore
import MedLedgerTesting
import Testing

/// `node start --tls-cert --tls-key` over a real socket: the API answers HTTPS, a client
/// pinning the node's certificate gets through, one pinning another certificate is refused.
@Suite struct HTTPSTests {
    /// `Result(catching:)` for async bodies.
    private static func result(_ body: () async throws -> Void) async -> Result<Void, any Error> {
        do { return .success(try await body()) } catch { return .failure(error) }
    }

    /// A self-signed certificate and key written to a temporary folder.
    static func certificateFiles() throws -> (certificate: URL, key: URL, pem: String) {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("medledger-https-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let (certificate, key) = try APITLS.makeSelfSignedPEM(hosts: ["127.0.0.1", "localhost"])
        let certificateFile = folder.appendingPathComponent("api-cert.pem")
        let keyFile = folder.appendingPathComponent("api-key.pem")
        try Data(certificate.utf8).write(to: certificateFile)
        try Data(key.utf8).write(to: keyFile)
        return (certificateFile, keyFile, certificate)
    }

    @Test(.timeLimit(.minutes(1)))
    func pinnedClientReadsStatusOverHTTPSAndAnotherPinIsRefused() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let files = try Self.certificateFiles()
        defer { try? FileManager.default.removeItem(at: files.certificate.deletingLastPathComponent()) }
        let tls = try APITLS.serverConfiguration(certificateFile: files.certificate.path, keyFile: files.key.path)
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        var logger = Logger(label: "medledger.https-test")
        logger.logLevel = .critical  // the refused handshake and the cancel log channel errors
        let server = Task {
            try await APIServer.run(node: fixture.node, host: "127.0.0.1", port: 0, logger: logger, tls: tls) {
                continuation.yield($0)
                continuation.finish()
            }
        }
        defer { server.cancel() }
        var ports = stream.makeAsyncIterator()
        let port = try #require(await ports.next())
        let url = try #require(URL(string: "https://127.0.0.1:\(port)"))

        let pinned = try PinnedHTTPClient.make(certificatePEM: files.pem)
        let other = try APITLS.makeSelfSignedPEM(hosts: ["127.0.0.1"]).certificate
        let wrong = try PinnedHTTPClient.make(certificatePEM: other)
        // The clients must be shut down whatever happens (async-http-client traps otherwise).
        let outcome = await Self.result {
            let chainID = try await HTTPGateway(baseURL: url, httpClient: pinned).chainID()
            #expect(chainID == fixture.node.genesis.chainID)
            // async-http-client retries a failed TLS handshake until its connect timeout (10 s),
            // then reports it.
            let refusal = await #expect(throws: NodeError.self) {
                _ = try await HTTPGateway(baseURL: url, httpClient: wrong).chainID()
            }
            #expect(refusal?.description.contains("CERTIFICATE_VERIFY_FAILED") == true)
        }
        try await pinned.shutdown()
        try await wrong.shutdown()
        try outcome.get()
    }

    @Test func pinningNeedsExactlyOneCertificate() throws {
        #expect(throws: NodeError.self) { _ = try PinnedHTTPClient.make(certificatePEM: "not a certificate") }
        let files = try Self.certificateFiles()
        defer { try? FileManager.default.removeItem(at: files.certificate.deletingLastPathComponent()) }
        #expect(throws: NodeError.self) {
            _ = try APITLS.serverConfiguration(certificateFile: files.key.path, keyFile: files.key.path)
        }
    }
}
