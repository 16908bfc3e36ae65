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

@Suite struct AuthenticationTests {
    @Test func auditNeedsASignedRequestFromThePatient() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let path = "/v1/patients/\(fixture.patient.id.hex)/audit"
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: path, method: .get) { response in
                #expect(response.status == .unauthorized)
                #expect(response.contentType == APIProblem.contentType)
            }
            try await client.execute(
                uri: path, method: .get,
                headers: fixture.signed("GET", path, as: fixture.stranger)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["field"] as? String == "patient")
            }
            try await client.execute(
                uri: path, method: .get,
                headers: fixture.signed("GET", path, as: fixture.patient)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.json["patient"] as? String == fixture.patient.id.hex)
                #expect((response.json["entries"] as? [Any])?.isEmpty == true)
            }
        }
    }

    @Test func badSignaturesAndHeadersAre401NamingTheHeader() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let path = "/v1/patients/\(fixture.patient.id.hex)/grants"
        let wrongPath = fixture.signed("GET", "/v1/patients/\(fixture.patient.id.hex)/audit", as: fixture.patient)
        var garbled = fixture.signed("GET", path, as: fixture.patient)
        garbled[HTTPField.Name(RequestAuthentication.signatureHeader)!] = "not-base64"
        var onlyIdentity = HTTPFields()
        onlyIdentity[HTTPField.Name(RequestAuthentication.identityHeader)!] = fixture.patient.id.hex
        let otherKey = fixture.signed(
            "GET", path,
            as: ClientIdentity(
                label: "impostor", id: fixture.patient.id,
                keys: .generate()))
        let stale = fixture.signed(
            "GET", path, as: fixture.patient,
            at: fixture.now.adding(milliseconds: 301_000))
        let unregistered = fixture.signed("GET", path, as: ClientIdentity(label: "nobody", keys: .generate()))
        let cases: [(HTTPFields, String)] = [
            (wrongPath, RequestAuthentication.signatureHeader), (garbled, RequestAuthentication.signatureHeader),
            (onlyIdentity, RequestAuthentication.timestampHeader), (otherKey, RequestAuthentication.signatureHeader),
            (stale, RequestAuthentication.timestampHeader), (unregistered, RequestAuthentication.identityHeader),
        ]
        try await fixture.app().test(.router) { client in
            for (headers, field) in cases {
                try await client.execute(uri: path, method: .get, headers: headers) { response in
                    #expect(response.status == .unauthorized)
                    #expect(response.json["field"] as? String == field)
                }
            }
        }
    }

    @Test func signatureCoversTheBody() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let signed = fixture.signed("PUT", "/v1/blobs", body: [1, 2, 3], as: fixture.author)
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/blobs", method: .put, headers: signed,
                body: ByteBuffer(bytes: [1, 2, 4])
            ) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: "/v1/blobs", method: .put, headers: signed,
                body: ByteBuffer(bytes: [1, 2, 3])
            ) { response in
                #expect(response.status == .created)
                #expect(response.json["address"] as? String == Hash256.of([1, 2, 3]).hex)
            }
        }
    }

    @Test func headersAreTheDocumentedCanonicalSignature() throws {
        let identity = ClientIdentity(label: "x", keys: .deterministic(seed: "auth"))
        let time = WallClockTime(milliseconds: 1_234)
        let headers = Dictionary(
            uniqueKeysWithValues: RequestAuthentication.headers(
                for: "get", pathAndQuery: "/v1/a?b=c", body: [9], chainID: "chain", identity: identity, now: time))
        #expect(headers[RequestAuthentication.identityHeader] == identity.id.hex)
        #expect(headers[RequestAuthentication.timestampHeader] == "1234")
        var encoder = CanonicalEncoder()
        encoder.write("medledger/http/v1")
        encoder.write("chain")
        encoder.write("GET")
        encoder.write("/v1/a?b=c")
        encoder.write(UInt64(1_234))
        encoder.write(Hash256.of([9]))
        let signature = try #require(Data(base64Encoded: headers[RequestAuthentication.signatureHeader] ?? ""))
        #expect(
            identity.keys.publicSigningKey.isValidSignature(
                try #require(Signature(rawBytes: Array(signature))),
                for: encoder.bytes))
    }

    /// Issue 6.6: a blob upload is judged by who sent it and when before its body is read.
    @Test func blobUploadFromAStrangerIsRefusedOnTheHeaders() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let body = [UInt8](repeating: 7, count: 1 << 20)
        let unknown = ClientIdentity(label: "nobody", keys: IdentityKeys.generate())
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: "/v1/blobs", method: .put,
                headers: fixture.signed("PUT", "/v1/blobs", body: body, as: unknown),
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["field"] as? String == RequestAuthentication.identityHeader)
            }
            let stale = WallClockTime(
                milliseconds: fixture.now.milliseconds - RequestAuthentication.maximumSkewMilliseconds - 1)
            try await client.execute(
                uri: "/v1/blobs", method: .put,
                headers: fixture.signed("PUT", "/v1/blobs", body: body, as: fixture.author, at: stale),
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["field"] as? String == RequestAuthentication.timestampHeader)
            }
            // A known identity and a fresh timestamp get the body read, then the signature checked.
            try await client.execute(
                uri: "/v1/blobs", method: .put,
                headers: fixture.signed("PUT", "/v1/blobs", body: [1], as: fixture.author),
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .unauthorized)
                #expect(response.json["field"] as? String == RequestAuthentication.signatureHeader)
            }
            try await client.execute(
                uri: "/v1/blobs", method: .put,
                headers: fixture.signed("PUT", "/v1/blobs", body: body, as: fixture.author),
                body: ByteBuffer(bytes: body)
            ) { response in
                #expect(response.status == .created)
            }
        }
    }
}
