import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MedLedgerCore
import Testing
@testable import MedLedgerAPI

/// The portal's static files, CORS on /v1/ and the genesis route, through the real router.
@Suite struct PortalRoutesTests {
    static let csp =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src *; frame-ancestors 'none'; base-uri 'none'; form-action 'none'"

    /// A portal in a temporary directory: index, a module, a README (not served) and a
    /// secret one level above the root that traversal must not reach.
    static func portal() throws -> (PortalFiles, URL) {
        let base = FileManager.default.temporaryDirectory.appendingPathComponent("portal-\(UUID().uuidString)")
        let root = base.appendingPathComponent("Portal")
        try FileManager.default.createDirectory(
            at: root.appendingPathComponent("js/lib"), withIntermediateDirectories: true)
        try Data("<!doctype html><title>t</title>".utf8).write(to: root.appendingPathComponent("index.html"))
        try Data("export const x = 1;\n".utf8).write(to: root.appendingPathComponent("js/lib/x.js"))
        try Data("# notes".utf8).write(to: root.appendingPathComponent("README.md"))
        try Data("secret".utf8).write(to: base.appendingPathComponent("secret.txt"))
        return (PortalFiles.load(from: root), base)
    }

    @Test func bundledPortalHasAnIndexAndNotItsReadme() {
        #expect(PortalFiles.bundled.files["index.html"] != nil)
        #expect(PortalFiles.bundled.files["README.md"] == nil)
        #expect(PortalFiles.bundled.files.keys.allSatisfy { !$0.hasSuffix(".md") })
    }

    @Test func indexIsServedWithTheSecurityHeaders() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "text/html; charset=utf-8")
                #expect(response.bytes == PortalFiles.bundled.files["index.html"]?.bytes)
                #expect(response.headers[.contentSecurityPolicy] == Self.csp)
                #expect(response.headers[.xContentTypeOptions] == "nosniff")
                #expect(response.headers[HTTPField.Name("Referrer-Policy")!] == "no-referrer")
                #expect(response.headers[.cacheControl] == "no-cache")
                #expect(response.headers[HTTPField.Name("X-Frame-Options")!] == "DENY")
            }
        }
    }

    @Test func nestedFilesAreServedWithTheirTypeAndOthersAreNotFound() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let (portal, base) = try Self.portal()
        defer { try? FileManager.default.removeItem(at: base) }
        #expect(Set(portal.files.keys) == ["index.html", "js/lib/x.js"])
        let router = buildRouter(node: fixture.node, portal: portal)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/portal/js/lib/x.js", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "text/javascript; charset=utf-8")
                #expect(String(buffer: response.body) == "export const x = 1;\n")
                #expect(response.headers[.contentSecurityPolicy] == Self.csp)
            }
            for path in [
                "/portal/README.md", "/portal/../secret.txt", "/portal/js/../../secret.txt",
                "/portal/%2e%2e/secret.txt", "/portal/js%2flib%2fx.js", "/portal/js//lib/x.js",
                "/portal/./index.html", "/portal/js/lib/x.js%00", "/portal/nothing.js", "/portal/js",
            ] {
                try await client.execute(uri: path, method: .get) { response in
                    #expect(response.status == .notFound, "\(path)")
                    #expect(response.contentType == "application/problem+json", "\(path)")
                    #expect(!String(buffer: response.body).contains("secret"), "\(path)")
                }
            }
        }
    }

    @Test func preflightAnswersTheAllowedMethodsAndHeaders() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            var headers = HTTPFields()
            headers[HTTPField.Name("Origin")!] = "http://127.0.0.1:9999"
            headers[HTTPField.Name("Access-Control-Request-Method")!] = "POST"
            try await client.execute(uri: "/v1/transactions", method: .options, headers: headers) { response in
                #expect(response.status == .noContent)
                #expect(response.headers[.accessControlAllowOrigin] == "*")
                #expect(response.headers[.accessControlAllowMethods] == "GET, POST, PUT")
                let allowed = (response.headers[.accessControlAllowHeaders] ?? "").lowercased()
                for name in [
                    "x-medledger-identity", "x-medledger-timestamp", "x-medledger-signature", "content-type",
                    "last-event-id",
                ] {
                    #expect(allowed.contains(name), "\(name) not allowed")
                }
            }
            // Answers and problems on /v1/ carry the origin and expose the next-nonce header.
            for uri in ["/v1/status", "/v1/blocks/99"] {
                try await client.execute(uri: uri, method: .get, headers: headers) { response in
                    #expect(response.headers[.accessControlAllowOrigin] == "*", "\(uri)")
                    #expect(response.headers[.accessControlExposeHeaders] == "X-MedLedger-Next-Nonce", "\(uri)")
                }
            }
            // Outside /v1/ nothing is cross-origin: the portal is same-origin only.
            try await client.execute(uri: "/", method: .get, headers: headers) { response in
                #expect(response.headers[.accessControlAllowOrigin] == nil)
            }
            try await client.execute(uri: "/", method: .options) { response in
                #expect(response.status != .noContent)
            }
        }
    }

    @Test func genesisIsTheNodesGenesisFile() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let file = try Data(contentsOf: fixture.directory.genesisFile)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/genesis", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "application/json")
                #expect(response.bytes == Array(file))
                let genesis = try Genesis.decode(json: Data(response.bytes))
                #expect(genesis.hash == fixture.node.genesis.hash)
                #expect(response.json["chainId"] as? String == "medledger-api-test")
            }
        }
    }
}
