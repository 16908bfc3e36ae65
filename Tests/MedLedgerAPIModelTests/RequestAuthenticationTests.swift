import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerAPIModel
import Testing

/// `RequestAuthentication.credentials` and `check` without a node (the routes' tests in
/// MedLedgerAPITests cover them through HTTP).
@Suite("Signed request checks")
struct RequestAuthenticationTests {
    let keys = IdentityKeys.deterministic(seed: "request-auth")
    let now = WallClockTime(milliseconds: 1_800_000_000_000)
    var record: IdentityRecord {
        IdentityRecord(
            id: keys.identityID, kind: .patient, signingKey: keys.publicSigningKey,
            encryptionKey: keys.publicEncryptionKey, organization: nil, roles: [], registeredAt: 1)
    }

    func credentials(at time: WallClockTime, body: [UInt8] = []) throws -> RequestAuthentication.Credentials {
        let headers = RequestAuthentication.headers(
            for: "GET", pathAndQuery: "/v1/x", body: body, chainID: "c",
            identity: ClientIdentity(label: "p", id: keys.identityID, keys: keys),
            now: time)
        return try #require(
            try RequestAuthentication.credentials(
                identity: headers[0].1, timestamp: headers[1].1,
                signature: headers[2].1))
    }

    func check(
        _ credentials: RequestAuthentication.Credentials, record: IdentityRecord?,
        body: [UInt8] = []
    ) -> String? {
        do {
            _ = try RequestAuthentication.check(
                credentials, record: record, method: "get", pathAndQuery: "/v1/x",
                body: body, chainID: "c", now: now)
            return nil
        } catch {
            #expect(error.kind == .unauthenticated)
            return error.field
        }
    }

    @Test func freshSignedRequestPasses() throws {
        #expect(check(try credentials(at: now), record: record) == nil)
        #expect(check(try credentials(at: now.adding(milliseconds: 300_000)), record: record) == nil)
    }

    @Test func eachFailureNamesItsHeader() throws {
        let fresh = try credentials(at: now)
        #expect(
            check(try credentials(at: WallClockTime(milliseconds: 0)), record: record)
                == RequestAuthentication.timestampHeader)
        #expect(check(fresh, record: nil) == RequestAuthentication.identityHeader)
        var suspended = record
        suspended.status = .suspended
        #expect(check(fresh, record: suspended) == RequestAuthentication.identityHeader)
        let other = IdentityKeys.deterministic(seed: "someone else")
        let otherRecord = IdentityRecord(
            id: other.identityID, kind: .patient, signingKey: keys.publicSigningKey,
            encryptionKey: keys.publicEncryptionKey, organization: nil, roles: [],
            registeredAt: 1)
        #expect(check(fresh, record: otherRecord) == RequestAuthentication.identityHeader)
        #expect(check(fresh, record: record, body: [1]) == RequestAuthentication.signatureHeader)
    }

    @Test func extremeTimestampsAreRefusedNotTrapped() throws {
        let maxText = String(UInt64.max)
        let parsed = try #require(
            try RequestAuthentication.credentials(
                identity: keys.identityID.hex, timestamp: maxText,
                signature: Data(repeating: 0, count: 64).base64EncodedString()))
        #expect(check(parsed, record: record) == RequestAuthentication.timestampHeader)
        #expect(throws: NodeError.self) {
            try RequestAuthentication.credentials(
                identity: keys.identityID.hex, timestamp: maxText + "0", signature: "")
        }
        #expect(throws: NodeError.self) {
            try RequestAuthentication.credentials(identity: keys.identityID.hex, timestamp: "-1", signature: "")
        }
    }
}
