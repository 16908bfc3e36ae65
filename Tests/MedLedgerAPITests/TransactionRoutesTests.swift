import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerTesting
import Testing
@testable import MedLedgerAPI
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

@Suite struct TransactionRoutesTests {
    func registration(_ fixture: APIFixture) async -> Transaction {
        await fixture.transaction(
            .registerPatient(RegisterPatient(keys: fixture.patient.keys)),
            by: fixture.patient)
    }

    @Test func validTransactionIsPendingThenCommittedWithAProof() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await registration(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .accepted)
                #expect(response.json["hash"] as? String == tx.hash.hex)
                #expect(response.json["status"] as? String == "pending")
            }
            try await client.execute(uri: "/v1/transactions/\(tx.hash.hex)", method: .get) { response in
                #expect(response.json["status"] as? String == "pending")
            }
            try await fixture.produceBlock()
            try await client.execute(uri: "/v1/transactions/\(tx.hash.hex)", method: .get) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["status"] as? String == "committed")
                #expect(json["height"] as? Int == 1)
                #expect(json["position"] as? Int == 0)
                #expect(json["code"] as? Int == 0)
                #expect(json["codeName"] as? String == "ok")
                #expect(json["type"] as? String == "register-patient")
                // The public view hides what would reveal who is whose patient.
                #expect(
                    json["message"] == nil && json["facts"] == nil && json["events"] == nil
                        && json["transaction"] == nil)
                let proof = json["proof"] as? [String: Any] ?? [:]
                let root = try #require(Hash256(hex: json["transactionsRoot"] as? String ?? ""))
                let merkle = MerkleProof(
                    leafIndex: UInt64(proof["leafIndex"] as? Int ?? -1),
                    treeSize: UInt64(proof["treeSize"] as? Int ?? 0),
                    path: (proof["path"] as? [String] ?? []).compactMap(Hash256.init(hex:)))
                #expect(merkle.verifies(leafHash: Merkle.leafHash(tx.hash.bytes), root: root))
            }
            let path = "/v1/transactions/\(tx.hash.hex)"
            try await client.execute(
                uri: path, method: .get,
                headers: fixture.signed("GET", path, as: fixture.patient)
            ) { response in
                let json = response.json
                #expect((json["message"] as? String)?.hasPrefix("Accepted: registered patient") == true)
                #expect((json["facts"] as? [Any])?.isEmpty == true)
                #expect((json["events"] as? [[String: Any]])?.first?["type"] as? String == "identity-registered")
                #expect(json["transaction"] as? String == Data(tx.encoded).base64EncodedString())
                let receipt = try #require(Data(base64Encoded: json["receipt"] as? String ?? ""))
                #expect(try TransactionReceipt.decode(canonical: Array(receipt)).code == .ok)
            }
        }
    }

    /// `wait=commit` signed by the transaction's signer: one round trip gives the full
    /// receipt. Unsigned, the same wait gives the public view only.
    @Test(arguments: [true, false]) func waitForCommitAnswersOnceCommitted(signed: Bool) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await registration(fixture)
        let body = Array(submitBody(tx).readableBytesView)
        let path = "/v1/transactions?wait=commit"
        let headers = signed ? fixture.signed("POST", path, body: body, as: fixture.patient) : [:]
        try await fixture.app().test(.router) { client in
            let producer = Task {
                while await fixture.node.pendingCount == 0 { try await Task.sleep(nanoseconds: 2_000_000) }
                try await fixture.produceBlock()
            }
            try await client.execute(uri: path, method: .post, headers: headers, body: ByteBuffer(bytes: body)) {
                response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["status"] as? String == "committed")
                #expect(json["height"] as? Int == 1)
                #expect(json["position"] as? Int == 0)
                #expect(json["code"] as? Int == 0)
                #expect(json["codeName"] as? String == "ok")
                #expect((json["message"] is String) == signed)
                #expect((json["receipt"] is String) == signed)
                #expect(
                    response.headers[HTTPField.Name(RequestAuthentication.nextNonceHeader)!] == (signed ? "2" : nil))
            }
            try await producer.value
        }
    }

    @Test func waitMustBeCommit() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await registration(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions?wait=forever", method: .post, body: submitBody(tx)) {
                response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "wait")
            }
        }
    }

    /// A refusal's JSON: the code, the receipt's facts in order, and a sentence rendered
    /// from them (the receipt itself holds no text).
    @Test func rejectedReceiptShowsCodeFactsAndARenderedMessage() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let tx = await fixture.transaction(
            .grantAccess(
                GrantAccess(
                    grant: GrantID.randomConsentGrantID(), patient: fixture.patient.id, grantee: fixture.stranger.id,
                    scope: .allReports, purpose: .treatment, validFrom: nil, validUntil: nil)), by: fixture.patient)
        try await fixture.node.submit(tx)
        try await fixture.produceBlock()
        let path = "/v1/transactions/\(tx.hash.hex)"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: path, method: .get,
                headers: fixture.signed("GET", path, as: fixture.patient)
            ) { response in
                let json = response.json
                #expect(json["code"] as? Int == 302)
                #expect(json["codeName"] as? String == "unknown-identity")
                let facts = (json["facts"] as? [[String: Any]] ?? []).map { "\($0["type"] ?? ""):\($0["value"] ?? "")" }
                #expect(
                    facts == [
                        "field:grantee", "identity:\(fixture.stranger.id.hex)", "kind:practitioner",
                        "kind:organization",
                    ])
                let message = try #require(json["message"] as? String)
                #expect(
                    message.contains("grantee") && message.contains(fixture.stranger.id.hex)
                        && message.contains("practitioner or organization"), "\(message)")
                let receipt = try #require(Data(base64Encoded: json["receipt"] as? String ?? ""))
                #expect(
                    try TransactionReceipt.decode(canonical: Array(receipt)).facts
                        == [
                            .field(.grantee), .identity(fixture.stranger.id), .kind(.practitioner),
                            .kind(.organization),
                        ])
            }
        }
    }

    @Test(arguments: [
        ("{\"transaction\": 5}", "transaction"),
        ("{\"tx\": \"AAAA\"}", "transaction"),
        ("{\"transaction\": null}", "transaction"),
        ("[1, 2]", "body"),
        ("not json", "body"),
    ])
    func malformedJSONIs400NamingTheField(body: String, field: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: ByteBuffer(string: body)) {
                response in
                #expect(response.status == .badRequest)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["field"] as? String == field)
            }
        }
    }

    @Test func bodyOverTheLimitIs413() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let huge = "{\"transaction\": \"" + String(repeating: "A", count: Limits.httpBodyMaxBytes) + "\"}"
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: ByteBuffer(string: huge)) {
                response in
                #expect(response.status == .contentTooLarge)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["status"] as? Int == 413)
            }
        }
    }

    @Test(arguments: ["!!!not base64!!!", "AAAA", ""])
    func badTransactionBytesAre400OnTransaction(text: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post,
                body: jsonBody(["transaction": text])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "transaction")
            }
        }
    }

    @Test func tamperedSignatureIs400WithCode101() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        var bytes = await registration(fixture).encoded
        bytes[bytes.count - 1] ^= 0x01
        let tampered = bytes
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/transactions", method: .post,
                body: jsonBody(["transaction": Data(tampered).base64EncodedString()])
            ) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["code"] as? Int == 101)
                #expect(response.json["codeName"] as? String == "bad-signature")
                #expect(response.json["field"] as? String == "tx.signature")
            }
        }
    }

    @Test func replayedTransactionIs409() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await registration(fixture)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .accepted)
            }
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .conflict)  // already pending
            }
            try await fixture.produceBlock()
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .conflict)
                #expect(response.contentType == APIProblem.contentType)
                #expect(response.json["code"] as? Int == 103)
            }
        }
    }

    @Test func unknownSignerIs403WithCode104() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let tx = await fixture.transaction(
            .setGuardian(SetGuardian(guardian: fixture.author.id, isGuardian: true)),
            by: fixture.stranger)
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["code"] as? Int == 104)
                #expect(response.json["codeName"] as? String == "unknown-signer")
            }
        }
    }

    @Test func unknownTransactionIs404AndBadHashIs400() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions/\(Hash256.of([1]).hex)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/transactions/xyz", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "hash")
            }
        }
    }

    @Test func identityAndNonceRoutes() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/identities/\(fixture.author.id.hex)", method: .get) { response in
                let json = response.json
                #expect(json["id"] as? String == fixture.author.id.hex)
                #expect(json["kind"] as? String == "practitioner")
                #expect(json["organization"] as? String == fixture.hospital.id.hex)
                #expect(json["roles"] as? [String] == ["author", "approver"])
                #expect(json["status"] as? String == "active")
                #expect(json["signingKey"] as? String == fixture.author.keys.publicSigningKey.hex)
                #expect(json["encryptionKey"] as? String == fixture.author.keys.publicEncryptionKey.hex)
                #expect(json["lastNonce"] as? Int == 0)
                #expect(json["registeredAt"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/identities/\(fixture.patient.id.hex)", method: .get) { response in
                #expect(response.json["organization"] == nil)
                #expect(response.json["lastNonce"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/identities/\(fixture.patient.id.hex)/nonce", method: .get) { response in
                #expect(response.json["nextNonce"] as? Int == 2)
            }
            let unregistered = IdentityKeys.generate().identityID.hex
            try await client.execute(uri: "/v1/identities/\(unregistered)/nonce", method: .get) { response in
                #expect(response.json["nextNonce"] as? Int == 1)
            }
            try await client.execute(uri: "/v1/identities/\(unregistered)", method: .get) { response in
                #expect(response.status == .notFound)
            }
            try await client.execute(uri: "/v1/identities/zz", method: .get) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "id")
            }
        }
    }
}

/// Issue 6.1: a self-registration signed with nonce `UInt64.max` used to be admitted, after
/// which `GET /v1/identities/{id}/nonce` computed `UInt64.max + 1` and aborted every node.
@Suite struct NonceOverflowRoutesTests {
    @Test func hugeFirstNonceIsRefusedAndTheNonceRouteStillAnswers() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let mallory = IdentityKeys.generate()
        let tx = Transaction(
            chainID: fixture.chainID, signer: mallory.identityID, keys: mallory, nonce: .max,
            payload: .registerPatient(RegisterPatient(keys: mallory)))
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/transactions", method: .post, body: submitBody(tx)) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "tx.nonce")
                #expect(response.json["code"] as? Int == 107)
            }
            try await fixture.produceBlock()
            try await client.execute(uri: "/v1/identities/\(mallory.identityID.hex)/nonce", method: .get) { response in
                #expect(response.status == .ok)
                #expect(response.json["nextNonce"] as? Int == 1)
            }
        }
    }
}
