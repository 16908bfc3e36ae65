import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerCore
import Testing

@testable import MedLedgerAPI

/// The FHIR facade through the router: the token endpoint, who sees what, strict searches.
/// (Independent tools check it too: scripts/fhir-tools.sh.)
@Suite struct FHIRFacadeTests {
    static func base64URL(_ bytes: [UInt8]) -> String {
        Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// A client assertion signed with the identity's Ed25519 key, valid `lifetime` seconds
    /// from the fixture's fixed clock.
    static func assertion(
        _ identity: ClientIdentity, audience: String, lifetime: UInt64 = 120, jti: String = UUID().uuidString
    ) -> String {
        let now = APIFixture.genesisTime.milliseconds / 1000
        let header = base64URL(Array(#"{"alg":"EdDSA","typ":"JWT"}"#.utf8))
        let claims = base64URL(
            Array(
                #"{"iss":"\#(identity.id.hex)","sub":"\#(identity.id.hex)","aud":"\#(audience)","exp":\#(now + lifetime),"jti":"\#(jti)"}"#
                    .utf8))
        let signature = identity.keys.sign(Array("\(header).\(claims)".utf8))
        return "\(header).\(claims).\(base64URL(signature.rawBytes))"
    }

    static func tokenRequest(_ client: some TestClientProtocol, assertion: String) async throws -> TestResponse {
        let form = [
            "grant_type=client_credentials",
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer",
            "client_assertion=\(assertion)",
        ].joined(separator: "&")
        return try await client.execute(
            uri: "/fhir/auth/token", method: .post, headers: [.contentType: "application/x-www-form-urlencoded"],
            body: ByteBuffer(string: form))
    }

    static func tokenURL(_ client: some TestClientProtocol) async throws -> String {
        let response = try await client.execute(uri: "/fhir/.well-known/smart-configuration", method: .get)
        return try #require(response.json["token_endpoint"] as? String)
    }

    static func token(_ client: some TestClientProtocol, _ identity: ClientIdentity) async throws -> String {
        let response = try await tokenRequest(
            client, assertion: assertion(identity, audience: try await tokenURL(client)))
        #expect(response.status == .ok)
        return try #require(response.json["access_token"] as? String)
    }

    static func get(_ client: some TestClientProtocol, _ uri: String, token: String?) async throws -> TestResponse {
        var headers = HTTPFields()
        if let token { headers[.authorization] = "Bearer \(token)" }
        return try await client.execute(uri: uri, method: .get, headers: headers)
    }

    @Test func tokenEndpointChecksTheAssertion() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.app().test(.router) { client in
            let url = try await Self.tokenURL(client)
            let once = Self.assertion(fixture.patient, audience: url, jti: "once")
            #expect(try await Self.tokenRequest(client, assertion: once).status == .ok)
            let replay = try await Self.tokenRequest(client, assertion: once)
            #expect(replay.status == .badRequest && replay.json["error"] as? String == "invalid_client")
            let long = Self.assertion(fixture.patient, audience: url, lifetime: 3_600)
            #expect(try await Self.tokenRequest(client, assertion: long).status == .badRequest)
            let elsewhere = Self.assertion(fixture.patient, audience: "https://elsewhere/token")
            #expect(try await Self.tokenRequest(client, assertion: elsewhere).status == .badRequest)
            // Signed by another key than the one `iss` names.
            let forged = Self.assertion(fixture.patient, audience: url).split(separator: ".")
            let stranger = Self.assertion(fixture.stranger, audience: url).split(separator: ".")
            let mixed = "\(forged[0]).\(forged[1]).\(stranger[2])"
            #expect(try await Self.tokenRequest(client, assertion: mixed).status == .badRequest)

            let xml = try await client.execute(
                uri: "/fhir/metadata", method: .get, headers: [.accept: "application/fhir+xml"])
            #expect(xml.status == .notAcceptable && xml.json["resourceType"] as? String == "OperationOutcome")
            let json = try await client.execute(
                uri: "/fhir/metadata", method: .get, headers: [.accept: "application/fhir+json;q=0.9, */*;q=0.1"])
            #expect(json.status == .ok)

            let unauthenticated = try await Self.get(client, "/fhir/Patient/\(fixture.patient.id.hex)", token: nil)
            #expect(unauthenticated.status == .unauthorized)
            #expect(unauthenticated.json["resourceType"] as? String == "OperationOutcome")
            #expect(unauthenticated.headers[.wwwAuthenticate] == "Bearer realm=\"fhir\"")
        }
    }

    /// `AuditEvent?agent=Organization/ID` is the organization's access log: whole for the
    /// organization's key, the reader's own reads for the reader, nothing for a stranger.
    @Test func auditEventsByOrganizationFollowWhoOverseesIt() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (report, _) = try await fixture.submitReport()
        let read = TransactionPayload.accessReport(AccessReport(report: report, version: 1, purpose: .treatment))
        #expect(try await fixture.commit(read, by: fixture.clinicReader).code != .ok)
        #expect(try await fixture.commit(read, by: fixture.author).code == .ok)
        try await fixture.app().test(.router) { client in
            func total(_ who: ClientIdentity, _ query: String) async throws -> Int? {
                let token = try await Self.token(client, who)
                return try await Self.get(client, "/fhir/AuditEvent?\(query)", token: token).json["total"] as? Int
            }
            let clinicLog = "agent=Organization/\(fixture.clinic.id.hex)"
            #expect(try await total(fixture.clinic, clinicLog) == 1)
            #expect(try await total(fixture.clinic, clinicLog + "&outcome=0") == 0)
            #expect(try await total(fixture.clinicReader, clinicLog) == 1)
            #expect(try await total(fixture.stranger, clinicLog) == 0)
            #expect(try await total(fixture.hospital, "agent=Organization/\(fixture.hospital.id.hex)") == 1)
            #expect(try await total(fixture.clinic, clinicLog + "&patient=\(fixture.stranger.id.hex)") == 0)

            let token = try await Self.token(client, fixture.clinic)
            for (query, parameter) in [
                ("agent=Practitioner/\(fixture.author.id.hex)", "agent"), ("outcome=4", "patient"),
            ] {
                let refused = try await Self.get(client, "/fhir/AuditEvent?\(query)", token: token)
                #expect(refused.status == .badRequest)
                let issue = (refused.json["issue"] as? [[String: Any]])?.first
                #expect(issue?["expression"] as? [String] == [parameter])
            }
        }
    }

    /// PractitionerRole says which organization a practitioner acts for, with its roles; an
    /// organization's list is for who oversees it.
    @Test func practitionerRolesNameTheOrganizationAndRoles() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.app().test(.router) { client in
            let strangerToken = try await Self.token(client, fixture.stranger)
            let read = try await Self.get(
                client, "/fhir/PractitionerRole/\(fixture.author.id.hex)", token: strangerToken)
            #expect(read.status == .ok)
            #expect(
                (read.json["organization"] as? [String: Any])?["reference"] as? String
                    == "Organization/\(fixture.hospital.id.hex)")
            let codes = (read.json["code"] as? [[String: Any]])?.compactMap {
                (($0["coding"] as? [[String: Any]])?.first?["code"]) as? String
            }
            #expect(Set(codes ?? []) == ["author", "approver"])
            let notAPractitioner = try await Self.get(
                client, "/fhir/PractitionerRole/\(fixture.patient.id.hex)", token: strangerToken)
            #expect(notAPractitioner.status == .notFound)

            func total(_ token: String, _ query: String) async throws -> Int? {
                try await Self.get(client, "/fhir/PractitionerRole?\(query)", token: token).json["total"] as? Int
            }
            let hospitalToken = try await Self.token(client, fixture.hospital)
            let hospitalList = "organization=Organization/\(fixture.hospital.id.hex)"
            #expect(try await total(strangerToken, "practitioner=Practitioner/\(fixture.author.id.hex)") == 1)
            #expect(try await total(hospitalToken, hospitalList) == 1)
            #expect(try await total(hospitalToken, hospitalList + "&practitioner=\(fixture.clinicReader.id.hex)") == 0)
            #expect(try await total(strangerToken, hospitalList) == 0)
            let unscoped = try await Self.get(client, "/fhir/PractitionerRole", token: strangerToken)
            #expect(unscoped.status == .badRequest)
        }
    }

    /// A free identity must not lock other clients out: its extra tokens replace its own
    /// oldest, and its 17th live assertion is refused while another identity's is taken.
    @Test func oneIdentityCannotFillTheTokenTables() async throws {
        let tokens = FHIRTokens()
        let greedy = try #require(IdentityID(hex: String(repeating: "ab", count: 32)))
        let other = try #require(IdentityID(hex: String(repeating: "cd", count: 32)))
        let now: UInt64 = 1_000_000
        var issued: [String] = []
        for _ in 0..<(FHIRTokens.maxTokensPerIdentity + 1) {
            issued.append(try await tokens.issue(for: greedy, now: now))
        }
        #expect(await tokens.identity(for: issued[0], now: now) == nil)
        for token in issued.dropFirst() { #expect(await tokens.identity(for: token, now: now) == greedy) }

        let expires = now + FHIRTokens.assertionMaxLifetimeMilliseconds
        for index in 0..<FHIRTokens.maxAssertionIDsPerIdentity {
            try await tokens.consumeAssertionID("jti-\(index)", of: greedy, expires: expires, now: now)
        }
        await #expect(throws: FHIRTokens.Refusal.tooMany) {
            try await tokens.consumeAssertionID("one-more", of: greedy, expires: expires, now: now)
        }
        await #expect(throws: FHIRTokens.Refusal.replayed) {
            try await tokens.consumeAssertionID("jti-0", of: greedy, expires: expires, now: now)
        }
        try await tokens.consumeAssertionID("jti-0", of: other, expires: expires, now: now)
        // Once the first assertions have expired, the identity may assert again.
        try await tokens.consumeAssertionID("later", of: greedy, expires: expires + 1, now: expires)
    }

    /// An audit search reads the trail newest first and stops at the first event older than
    /// a lower bound on `date`; upper bounds and `ne` never stop it.
    @Test(arguments: [
        ("date=ge2026-03-02", "2026-03-01T23:59:59Z", true), ("date=ge2026-03-02", "2026-03-02T00:00:00Z", false),
        ("date=gt2026-03-02", "2026-03-02T23:59:59Z", true), ("date=2026-03-02", "2026-03-01T12:00:00Z", true),
        ("date=lt2026-03-02", "2020-01-01T00:00:00Z", false), ("date=ne2026-03-02", "2020-01-01T00:00:00Z", false),
        ("date=le2026-03-02&date=ge2026-03-01", "2026-02-28T00:00:00Z", true),
    ])
    func aLowerDateBoundStopsTheScan(query: String, time: String, stops: Bool) throws {
        let parsed = try FHIRQuery(rawQuery: query, supported: ["date"], includes: [])
        let at = ConsensusTime(milliseconds: try #require(ISO8601.parse(time)))
        #expect(parsed.isBeforeEveryDateMatch(at) == stops)
    }

    @Test func readsAndSearchesShowOnlyWhatTheIdentityMaySee() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (report, _) = try await fixture.submitReport()
        try await fixture.app().test(.router) { client in
            let patientToken = try await Self.token(client, fixture.patient)
            let patientRead = try await Self.get(client, "/fhir/Patient/\(fixture.patient.id.hex)", token: patientToken)
            #expect(patientRead.status == .ok && patientRead.contentType == "application/fhir+json")
            #expect(patientRead.json["name"] == nil)

            let search = "/fhir/DiagnosticReport?patient=Patient/\(fixture.patient.id.hex)&_count=1"
            let bundle = try await Self.get(client, search, token: patientToken).json
            #expect(bundle["total"] as? Int == 1)
            let entry = (bundle["entry"] as? [[String: Any]])?.first?["resource"] as? [String: Any]
            #expect(entry?["id"] as? String == report.hex)

            let read = try await Self.get(client, "/fhir/DiagnosticReport/\(report.hex)", token: patientToken)
            #expect(read.status == .ok && read.headers[.eTag] == "W/\"1\"")
            let form = (read.json["presentedForm"] as? [[String: Any]])?.first
            #expect(form?["data"] == nil && (form?["url"] as? String)?.contains("/blobs/") == true)

            let strangerToken = try await Self.token(client, fixture.stranger)
            let hidden = try await Self.get(client, search, token: strangerToken).json
            #expect(hidden["total"] as? Int == 0)
            let denied = try await Self.get(client, "/fhir/DiagnosticReport/\(report.hex)", token: strangerToken)
            #expect(denied.status == .notFound && denied.json["resourceType"] as? String == "OperationOutcome")
        }
    }

    @Test(arguments: [
        ("foo=bar", "foo", "not-supported"), ("code=1234-5", "code", "not-supported"),
        ("category:text=x", "category:text", "not-supported"), ("_count=101", "_count", "invalid"),
        ("date=yesterday", "date", "invalid"), ("date=gt2100-01-01&date=bad", "date", "invalid"),
        ("_include=DiagnosticReport:result", "_include", "not-supported"),
    ])
    func unsupportedSearchParametersAreRefused(query: String, parameter: String, code: String) async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.app().test(.router) { client in
            let token = try await Self.token(client, fixture.patient)
            let response = try await Self.get(
                client, "/fhir/DiagnosticReport?patient=\(fixture.patient.id.hex)&\(query)", token: token)
            #expect(response.status == .badRequest)
            let issue = (response.json["issue"] as? [[String: Any]])?.first
            #expect(issue?["code"] as? String == code)
            #expect(issue?["expression"] as? [String] == [parameter])
            let unscoped = try await Self.get(client, "/fhir/DiagnosticReport", token: token)
            #expect(unscoped.status == .badRequest)
        }
    }
}
