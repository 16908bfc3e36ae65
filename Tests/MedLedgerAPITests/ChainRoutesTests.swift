import Foundation
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerTesting
import Testing
@testable import MedLedgerAPI
import MedLedgerCore
import MedLedgerNode

@Suite struct ChainRoutesTests {
    @Test func statusBeforeTheFirstBlockHasAZeroAppHash() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["chainId"] as? String == "medledger-api-test")
                #expect(json["nodeId"] as? String == fixture.nodeKeys.identityID.hex)
                #expect(json["height"] as? Int == 0)
                #expect(json["appHash"] as? String == String(repeating: "0", count: 64))
                #expect(json["latestBlockTime"] as? String == APIFixture.genesisTime.description)
                #expect(json["pendingTransactions"] as? Int == 0)
                let validators = json["validators"] as? [[String: Any]] ?? []
                #expect(validators.count == 1)
                #expect(validators.first?["signingKey"] as? String == fixture.nodeKeys.publicSigningKey.hex)
                #expect(validators.first?["power"] as? Int == 1)
            }
        }
    }

    @Test func blockJSONCarriesHeaderTransactionsAndCertificate() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let block = try #require(try await fixture.node.block(at: 1))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blocks/1", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["height"] as? Int == 1)
                #expect(json["hash"] as? String == block.header.hash.hex)
                #expect(json["appHash"] as? String == block.header.stateRoot.hex)
                #expect(json["previousHash"] as? String == block.header.previousBlockHash.hex)
                #expect(json["time"] as? String == block.header.time.description)
                #expect(json["transactionsRoot"] as? String == block.header.transactionsRoot.hex)
                #expect(json["resultsRoot"] as? String == block.header.resultsRoot.hex)
                #expect(json["validatorsHash"] as? String == block.header.validatorsHash.hex)
                #expect(json["proposer"] as? String == fixture.nodeKeys.identityID.hex)
                #expect(json["transactions"] as? [String] == block.transactions.map(\.hash.hex))
                let certificate = json["certificate"] as? [String: Any] ?? [:]
                #expect(certificate["round"] as? Int == 0)
                let signatures = certificate["signatures"] as? [[String: Any]] ?? []
                #expect(signatures.count == 1)
                #expect(signatures.first?["validator"] as? String == fixture.nodeKeys.identityID.hex)
            }
            try await client.execute(uri: "/v1/status", method: .get) { response in
                #expect(response.json["height"] as? Int == 1)
                #expect(response.json["appHash"] as? String == block.header.stateRoot.hex)
                #expect(response.json["latestBlockHash"] as? String == block.header.hash.hex)
            }
        }
    }

    @Test(arguments: ["0", "-1", "abc", "1.5", "99999999999999999999999"])
    func badBlockHeightIsA400NamingTheField(height: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blocks/\(height)", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["field"] as? String == "height")
            }
        }
    }

    @Test func missingBlockIs404Problem() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blocks/7", method: .get) { response in
                #expect(response.status == .notFound)
                #expect(response.contentType == APIProblem.contentType)
                let json = response.json
                #expect(json["status"] as? Int == 404)
                #expect(json["type"] as? String == "urn:medledger:problem:not-found")
                #expect(json["title"] as? String == "Not Found")
                #expect((json["detail"] as? String)?.isEmpty == false)
            }
        }
    }

    @Test func unknownRoutesAndMethodsAreProblemDocuments() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            for (uri, method) in [("/nope", HTTPRequest.Method.get), ("/v1/status", .delete), ("/v1/nope", .get)] {
                try await client.execute(uri: uri, method: method) { response in
                    #expect(response.status.code >= 400 && response.status.code < 500)
                    #expect(response.contentType == APIProblem.contentType)
                    #expect(response.json["status"] as? Int == response.status.code)
                }
            }
        }
    }

    @Test func metricsCountResponsesByStatus() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.produceBlock()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/status", method: .get)
            try await client.execute(uri: "/nope", method: .get)
            try await client.execute(uri: "/metrics", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType?.hasPrefix("text/plain; version=0.0.4") == true)
                let text = String(decoding: response.bytes, as: UTF8.self)
                #expect(text.contains("# TYPE medledger_block_height gauge\nmedledger_block_height 1.0\n"))
                #expect(text.contains("medledger_mempool_transactions 0.0\n"))
                #expect(text.contains("# TYPE medledger_http_requests_total counter\n"))
                #expect(text.contains("medledger_http_requests_total{status=\"200\"} 1\n"))
                #expect(text.contains("medledger_http_requests_total{status=\"404\"} 1\n"))
            }
        }
    }

    @Test func fhirMetadataIsAnHonestCapabilityStatement() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/fhir/metadata", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "application/fhir+json")
                let json = response.json
                #expect(json["resourceType"] as? String == "CapabilityStatement")
                #expect(json["fhirVersion"] as? String == "4.0.1")
                #expect(json["status"] as? String == "active")
                #expect(json["kind"] as? String == "instance")
                #expect(json["format"] as? [String] == ["json", "application/fhir+json"])
                #expect((json["date"] as? String)?.count == 10)
                let rest = json["rest"] as? [[String: Any]] ?? []
                #expect(rest.first?["mode"] as? String == "server")
                let types = (rest.first?["resource"] as? [[String: Any]] ?? []).compactMap { $0["type"] as? String }
                #expect(
                    types == [
                        "Patient", "Practitioner", "Organization", "PractitionerRole", "DiagnosticReport",
                        "DocumentReference", "Consent", "AuditEvent", "Provenance",
                    ])
            }
        }
    }
}
