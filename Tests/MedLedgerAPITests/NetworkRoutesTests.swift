import Foundation
import Hummingbird
import HummingbirdTesting
import MedLedgerCore
import MedLedgerNode
import Testing
@testable import MedLedgerAPI

/// `GET /v1/network` and `GET /v1/blocks`: the dashboard's data, public.
@Suite struct NetworkRoutesTests {
    @Test func networkNamesTheNodeAndWhenTheValidatorLastSigned() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/network", method: .get) { response in
                #expect(response.status == .ok)
                let validators = response.json["validators"] as? [[String: Any]] ?? []
                #expect(validators.count == 1)
                #expect(validators.first?["lastSignedHeight"] == nil, "no block yet")
            }
        }
        try await fixture.registerCast()
        try await fixture.produceBlock()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/network", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["nodeId"] as? String == fixture.nodeKeys.identityID.hex)
                #expect(json["height"] as? Int == 2)
                #expect(json["pendingTransactions"] as? Int == 0)
                #expect((json["peers"] as? [Any])?.isEmpty == true, "one validator: no peers")
                let validator = (json["validators"] as? [[String: Any]])?.first ?? [:]
                #expect(validator["id"] as? String == fixture.nodeKeys.identityID.hex)
                #expect(validator["power"] as? Int == 1)
                #expect(validator["lastSignedHeight"] as? Int == 2)
            }
        }
    }

    @Test func blocksAreListedNewestFirstWithinTheLimit() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.produceBlock()
        try await fixture.produceBlock()
        let first = try #require(try await fixture.node.block(at: 1))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blocks", method: .get) { response in
                #expect(response.status == .ok)
                let blocks =
                    (try JSONSerialization.jsonObject(with: Data(response.bytes))) as? [[String: Any]] ?? []
                #expect(blocks.map { $0["height"] as? Int } == [3, 2, 1])
                let oldest = blocks.last ?? [:]
                #expect(oldest["transactionCount"] as? Int == first.transactions.count)
                #expect(oldest["transactionCount"] as? Int == 4)
                #expect(oldest["hash"] as? String == first.header.hash.hex)
                #expect(oldest["time"] as? String == first.header.time.description)
                #expect(oldest["proposer"] as? String == fixture.nodeKeys.identityID.hex)
                #expect(oldest["signers"] as? [String] == [fixture.nodeKeys.identityID.hex])
                #expect(blocks.first?["transactionCount"] as? Int == 0)
            }
            try await client.execute(uri: "/v1/blocks?limit=2", method: .get) { response in
                let blocks =
                    (try JSONSerialization.jsonObject(with: Data(response.bytes))) as? [[String: Any]] ?? []
                #expect(blocks.map { $0["height"] as? Int } == [3, 2])
            }
            for bad in ["0", "501", "x", "-1"] {
                try await client.execute(uri: "/v1/blocks?limit=\(bad)", method: .get) { response in
                    #expect(response.status == .badRequest, "\(bad)")
                    #expect(response.json["field"] as? String == "limit", "\(bad)")
                }
            }
        }
    }
}
