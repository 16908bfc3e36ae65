import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
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

    /// The router's real routes (read from its trie), in the same form. The portal's
    /// catch-all `/portal/**` is documented as `/portal/{path}` (OpenAPI has no multi-segment
    /// parameter; the document says the path may contain slashes).
    static func routes(of router: Router<APIRequestContext>) -> Set<String> {
        Set(
            router.routes.map {
                "\($0.method.rawValue) \($0.path.description)".replacingOccurrences(of: "/**", with: "/{path}")
            })
    }

    @Test func documentCoversExactlyTheRouterRoutes() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let router = buildRouter(node: fixture.node)
        let document = try #require(
            try JSONSerialization.jsonObject(with: Data(OpenAPIDocumentText.json.utf8)) as? [String: Any])
        let documented = Self.operations(in: document)
        let routed = Self.routes(of: router)
        #expect(routed.count == 40)
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

    /// The served document is the source file the server and client were generated from,
    /// byte for byte (apart from the indentation of the generated string).
    @Test func servedDocumentIsTheSourceTheInterfaceIsGeneratedFrom() async throws {
        let source = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../../Sources/MedLedgerHTTPInterface/openapi.json").standardized
        let file = try String(contentsOf: source, encoding: .utf8)
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/openapi.json", method: .get) { response in
                #expect(response.status == .ok)
                let served = String(buffer: response.body)
                let trimmed = { (text: String) in
                    text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
                }
                #expect(trimmed(served) == trimmed(file), "GET /openapi.json is not Sources/.../openapi.json")
            }
        }
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

    /// A body of a media type the document does not list is refused by the generated
    /// server with a 415 problem document, before the handler runs: never a trap or a 500.
    @Test(arguments: ["text/plain", "application/xml", "application/x-www-form-urlencoded"])
    func bodyOfAnotherMediaTypeIsRefusedBeforeTheHandler(contentType: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await fixture.transaction(
            .registerPatient(RegisterPatient(keys: fixture.patient.keys)), by: fixture.patient)
        let headers: HTTPFields = [.contentType: contentType]
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: headers, body: submitBody(tx)
            ) { response in
                #expect(response.status == .unsupportedMediaType)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["status"] as? Int == 415)
            }
        }
        #expect(await fixture.node.pendingCount == 0, "a refused request admits nothing")
    }

    /// The generated server checks `Accept` only after the handler ran, so honouring it would
    /// admit a transaction and then answer 406. The node ignores `Accept`: the submission
    /// is admitted and says so.
    @Test func acceptHeaderNeverTurnsAnAdmittedTransactionIntoARefusal() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await fixture.transaction(
            .registerPatient(RegisterPatient(keys: fixture.patient.keys)), by: fixture.patient)
        let headers: HTTPFields = [.contentType: "application/json", .accept: "text/html"]
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: headers, body: submitBody(tx)
            ) { response in
                #expect(response.status == .accepted)
                #expect(response.json["hash"] as? String == tx.hash.hex)
            }
        }
        #expect(await fixture.node.pendingCount == 1)
    }

    /// A JSON body that does not match the document's schema is a 400 naming the field.
    @Test(arguments: [
        (#"{"transactions": "x"}"#, "transaction"),
        (#"{"transaction": 7}"#, "transaction"),
        (#"[1, 2]"#, "body"),
        (#"{"transaction": "#, "body"),
    ])
    func bodyThatDoesNotMatchTheSchemaNamesTheField(body: String, field: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let headers: HTTPFields = [.contentType: "application/json"]
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post, headers: headers, body: ByteBuffer(string: body)
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["field"] as? String == field)
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
