import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerAPIModel
import MedLedgerSpecSupport
import Testing

/// The worked example of "Signed requests" in `docs/spec/api.md`: the bytes a client signs
/// for `GET /v1/patients/{id}/grants?limit=10`, and the headers that carry the signature.
@Suite struct RequestSigningSpecTests {
    /// RFC 8032 TEST 1 and RFC 7748 Alice: the patient of `docs/spec/transactions.md`.
    let keys = IdentityKeys(
        signing: try! .init(
            rawRepresentation: Hex.decode("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60")!),
        encryption: try! .init(
            rawRepresentation: Hex.decode("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a")!))
    let timestamp: UInt64 = 1_767_225_600_000  // 2026-01-01T00:00:00Z
    let path = "/v1/patients/21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9/grants?limit=10"

    // Copied from the document.
    static let signingBytes =
        "000000116d65646c65646765722f687474702f7631"
        + "0000000e6d65646c65646765722d73706563"
        + "00000003474554"
        + "0000005d2f76312f70617469656e74732f323166653331646661313534613236313632366266383534303436666432323731623762656434623661626534356161353838373765663437663937323162392f6772616e74733f6c696d69743d3130"
        + "0000019b76daa800"
        + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    static let signatureHeader =
        "L++cNe/zFqTrQYFWy6a/9iG6/2RLt82UNoyGAerkqQ+hoviQFe+gD1iiDj7SS+q8bTJUVfkA+fC05gK2X6rSCg=="

    @Test func signingBytesMatchTheSpec() {
        #expect(keys.identityID.hex == "21fe31dfa154a261626bf854046fd2271b7bed4b6abe45aa58877ef47f9721b9")
        let bytes = RequestAuthentication.signingBytes(
            method: "GET", pathAndQuery: path, body: [],
            chainID: "medledger-spec", timestamp: timestamp)
        #expect(Hex.encode(bytes) == Self.signingBytes)
        // The method is upper-cased before it is signed.
        #expect(
            RequestAuthentication.signingBytes(
                method: "get", pathAndQuery: path, body: [],
                chainID: "medledger-spec", timestamp: timestamp) == bytes)
    }

    /// The documented headers pass the node's check; where Ed25519 signing is deterministic
    /// (RFC 8032), the client makes exactly the documented signature.
    @Test func documentedHeadersAreAccepted() throws {
        let record = IdentityRecord(
            id: keys.identityID, kind: .patient, signingKey: keys.publicSigningKey,
            encryptionKey: keys.publicEncryptionKey, organization: nil, roles: [], registeredAt: 1)
        let credentials = try #require(
            try RequestAuthentication.credentials(
                identity: keys.identityID.hex, timestamp: "1767225600000", signature: Self.signatureHeader))
        let caller = try RequestAuthentication.check(
            credentials, record: record, method: "GET", pathAndQuery: path, body: [],
            chainID: "medledger-spec", now: WallClockTime(milliseconds: timestamp))
        #expect(caller.id == keys.identityID)

        let deterministic = keys.sign([]) == keys.sign([])
        if deterministic {
            let headers = RequestAuthentication.headers(
                for: "GET", pathAndQuery: path, body: [], chainID: "medledger-spec",
                identity: ClientIdentity(label: "patient", id: keys.identityID, keys: keys),
                now: WallClockTime(milliseconds: timestamp))
            #expect(headers.map(\.1) == [keys.identityID.hex, "1767225600000", Self.signatureHeader])
        }
    }
}

@Suite struct RequestSigningSpecDocumentTests {
    @Test func documentPrintsThePinnedBytes() throws {
        let document = try SpecDocument.hex("docs/spec/api.md")
        #expect(
            document.contains(RequestSigningSpecTests.signingBytes), "docs/spec/api.md does not show the signed bytes")
        let text = try SpecDocument.text("docs/spec/api.md")
        #expect(text.contains("X-MedLedger-Signature: \(RequestSigningSpecTests.signatureHeader)"))
    }
}
