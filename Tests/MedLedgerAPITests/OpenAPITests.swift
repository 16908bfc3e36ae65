import Foundation
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerHTTPInterface
import MedLedgerTesting
import Testing
@testable import MedLedgerAPI
import MedLedgerNode

@Suite struct OpenAPITests {
    /// "METHOD /path/{param}" for every operation of an OpenAPI document.
    static func operations(in document: [String: Any]) -> Set<String> {
        let methods = ["get", "put", "post", "delete", "patch", "head", "options", "trace"]
        var result = Set<String>()
        for (path, item) in document["paths"] as? [String: Any] ?? [:] {
            for key in (item as? [String: Any] ?? [:]).keys where methods.contains(key) {
                result.insert("\(key.uppercased()) \(path)")
            }
        }
        return result
    }

    /// The router's real routes (read from its trie), in the same form.
    static func routes(of router: Router<APIRequestContext>) -> Set<String> {
        Set(router.routes.map { "\($0.method.rawValue) \($0.path.description)" })
    }

    @Test func documentCoversExactlyTheRouterRoutes() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let router = buildRouter(node: fixture.node)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocumentText.json.utf8)) as? [String: Any])
        let documented = Self.operations(in: document)
        let routed = Self.routes(of: router)
        #expect(routed.count == 21)
        #expect(
            routed.subtracting(documented).isEmpty,
            "routes missing from openapi.json: \(routed.subtracting(documented).sorted())")
        #expect(
            documented.subtracting(routed).isEmpty,
            "documented but not routed: \(documented.subtracting(routed).sorted())")
    }

    /// The comparison above is not vacuous: a route the document lacks is caught.
    @Test func comparisonDetectsAnUndocumentedRoute() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let router = buildRouter(node: fixture.node)
        router.get("/v1/undocumented") { _, _ in "x" }
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocumentText.json.utf8)) as? [String: Any])
        #expect(Self.routes(of: router).subtracting(Self.operations(in: document)) == ["GET /v1/undocumented"])
    }

    @Test func servedDocumentIsOpenAPI303WithSecurityAndProblemSchema() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "application/json")
                let json = response.json
                #expect(json["openapi"] as? String == "3.0.3")
                let components = json["components"] as? [String: Any] ?? [:]
                let schemes = components["securitySchemes"] as? [String: [String: Any]] ?? [:]
                #expect(
                    Set(schemes.values.compactMap { $0["name"] as? String })
                        == [
                            RequestAuthentication.identityHeader, RequestAuthentication.timestampHeader,
                            RequestAuthentication.signatureHeader,
                        ])
                let schemas = components["schemas"] as? [String: Any] ?? [:]
                #expect(schemas["Problem"] != nil)
                #expect(Self.allReferencesResolve(in: json))
            }
        }
    }

    /// Every "$ref" points at an existing component.
    static func allReferencesResolve(in document: [String: Any]) -> Bool {
        var refs = [String]()
        func walk(_ value: Any) {
            if let object = value as? [String: Any] {
                if let ref = object["$ref"] as? String { refs.append(ref) }
                object.values.forEach(walk)
            } else if let array = value as? [Any] {
                array.forEach(walk)
            }
        }
        walk(document)
        return refs.allSatisfy { ref in
            let parts = ref.split(separator: "/").dropFirst().map(String.init)
            var node: Any? = document
            for part in parts { node = (node as? [String: Any])?[part] }
            return node != nil
        }
    }
}
