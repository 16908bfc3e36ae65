import Foundation
import MedLedgerClient
import MedLedgerCore
import MedLedgerFHIRGateway
import Testing

/// The gateway over real sockets: a node serving its API, the gateway serving FHIR, requests
/// from an HTTP client as an EHR would send them.
@Suite(.serialized) struct GatewayTests {
    static func diagnosticReport(subject: String) -> FHIRValue {
        GatewayFixture.json(
            """
            {
              "resourceType": "DiagnosticReport",
              "identifier": [{"system": "http://acme.example/lab/reports", "value": "LAB-2026-0001"}],
              "status": "final",
              "category": [{"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v2-0074", "code": "HM", "display": "Hematology"}]}],
              "code": {"coding": [{"system": "http://loinc.org", "code": "58410-2", "display": "CBC panel - Blood by Automated count"}], "text": "Complete blood count"},
              "subject": \(subject),
              "effectiveDateTime": "2026-11-28T08:30:00Z",
              "issued": "2026-11-28T11:45:00.000Z",
              "contained": [
                {"resourceType": "Observation", "id": "hb", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "718-7", "display": "Hemoglobin"}]},
                 "valueQuantity": {"value": 14.2, "unit": "g/dL", "system": "http://unitsofmeasure.org", "code": "g/dL"},
                 "referenceRange": [{"low": {"value": 13.5, "unit": "g/dL"}, "high": {"value": 17.5, "unit": "g/dL"}}]},
                {"resourceType": "Observation", "id": "wbc", "status": "final",
                 "code": {"coding": [{"system": "http://loinc.org", "code": "6690-2", "display": "Leukocytes"}]},
                 "valueQuantity": {"value": 7.1, "unit": "10*3/uL", "system": "http://unitsofmeasure.org", "code": "10*3/uL"}}
              ],
              "result": [{"reference": "#hb"}, {"reference": "#wbc"}],
              "conclusion": "Normal blood count.",
              "presentedForm": [{"contentType": "text/plain", "language": "en", "data": "SGIgMTQuMiBnL2RMLCBXQkMgNy4x", "title": "CBC report"}]
            }
            """)
    }

    static var mrnSubject: String {
        "{\"identifier\": {\"system\": \"\(GatewayFixture.mrnSystem)\", \"value\": \"\(GatewayFixture.mrn)\"}}"
    }

    @Test(.timeLimit(.minutes(2)))
    func postedReportReadsBackEqualAndTheMRNStaysOffTheLedger() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        try await fixture.registerMRN()
        let posted = Self.diagnosticReport(subject: Self.mrnSubject)
        let created = try await fixture.request("POST", "/DiagnosticReport", posted)
        #expect(created.status == 201, "\(created.body)")
        #expect(created.headers["etag"] == "W/\"1\"")
        let location = try #require(created.headers["location"])
        let id = try #require(created.body["id"]?.string)
        #expect(location == "DiagnosticReport/\(id)/_history/1")

        let read = try await fixture.request("GET", "/DiagnosticReport/\(id)?_purpose=treatment")
        #expect(read.status == 200, "\(read.body)")
        #expect(read.headers["etag"] == "W/\"1\"")
        #expect(read.body["id"]?.string == id)
        #expect(read.body["meta"]?["versionId"]?.string == "1")
        #expect(read.body.withoutServerFields == posted.withoutServerFields)

        // The ledger holds the report encrypted and no trace of the MRN; the gateway's own
        // store holds it sealed.
        let mrn = Data(GatewayFixture.mrn.utf8)
        #expect(try fixture.ledgerBytes().allSatisfy { $0.range(of: mrn) == nil })
        #expect(try fixture.service.store.rawRows().allSatisfy { Data($0).range(of: mrn) == nil })
        let storeFile = try Data(contentsOf: URL(fileURLWithPath: fixture.service.store.path))
        #expect(storeFile.range(of: mrn) == nil)

        // A read with an unknown purpose is refused before anything reaches the ledger.
        let badPurpose = try await fixture.request(
            "GET", "/DiagnosticReport/\(id)", headers: ["X-MedLedger-Purpose": "curiosity"])
        #expect(badPurpose.status == 400)
        #expect(badPurpose.body.resourceType == "OperationOutcome")
    }

    @Test(.timeLimit(.minutes(2)))
    func transactionBundleResolvesUUIDReferences() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        let patientURL = "urn:uuid:5f3c1c1e-6a57-4b8e-9d6e-0a0b0c0d0e01"
        let observationURL = "urn:uuid:5f3c1c1e-6a57-4b8e-9d6e-0a0b0c0d0e02"
        let reportURL = "urn:uuid:5f3c1c1e-6a57-4b8e-9d6e-0a0b0c0d0e03"
        var patient = GatewayFixture.patientResource(fixture.patient.id)
        patient["id"] = nil
        let observation = GatewayFixture.json(
            """
            {"resourceType": "Observation", "status": "final",
             "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7", "display": "Glucose"}]},
             "subject": {"reference": "\(patientURL)"},
             "valueQuantity": {"value": 5.4, "unit": "mmol/L", "system": "http://unitsofmeasure.org", "code": "mmol/L"}}
            """)
        let report = GatewayFixture.json(
            """
            {"resourceType": "DiagnosticReport", "status": "final",
             "code": {"coding": [{"system": "http://loinc.org", "code": "2345-7"}], "text": "Glucose"},
             "subject": {"reference": "\(patientURL)"},
             "result": [{"reference": "\(observationURL)"}]}
            """)
        let bundle: FHIRValue = .object([
            "resourceType": .string("Bundle"), "type": .string("transaction"),
            "entry": .array([
                .object([
                    "fullUrl": .string(patientURL), "resource": patient,
                    "request": .object(["method": .string("POST"), "url": .string("Patient")]),
                ]),
                .object([
                    "fullUrl": .string(observationURL), "resource": observation,
                    "request": .object(["method": .string("POST"), "url": .string("Observation")]),
                ]),
                .object([
                    "fullUrl": .string(reportURL), "resource": report,
                    "request": .object(["method": .string("POST"), "url": .string("DiagnosticReport")]),
                ]),
            ]),
        ])
        let answer = try await fixture.request("POST", "", bundle)
        #expect(answer.status == 200, "\(answer.body)")
        #expect(answer.body["type"]?.string == "transaction-response")
        let location = try #require(answer.body["entry"]?[2]?["response"]?["location"]?.string)
        #expect(answer.body["entry"]?[2]?["response"]?["status"]?.string == "201 Created")
        let id = String(location.split(separator: "/")[1])
        let read = try await fixture.request("GET", "/DiagnosticReport/\(id)")
        #expect(read.status == 200, "\(read.body)")
        let ledgerPatient = "Patient/\(fixture.patient.id.hex)"
        #expect(read.body["subject"]?["reference"]?.string == ledgerPatient)
        let containedID = "5f3c1c1e-6a57-4b8e-9d6e-0a0b0c0d0e02"
        #expect(read.body["result"]?[0]?["reference"]?.string == "#\(containedID)")
        var expected = observation
        expected["id"] = .string(containedID)
        expected["subject"] = .object(["reference": .string(ledgerPatient)])
        #expect(read.body["contained"]?[0] == expected)
        // The MRN of the Patient entry went to the gateway's store: a report can now name it.
        #expect(
            try fixture.service.findPatient(identifier: "\(GatewayFixture.mrnSystem)|\(GatewayFixture.mrn)")
                == fixture.patient.id)
    }

    @Test(.timeLimit(.minutes(2)))
    func concurrentConditionalCreatesMakeExactlyOneReport() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        let posted = Self.diagnosticReport(subject: "{\"reference\": \"Patient/\(fixture.patient.id.hex)\"}")
        let condition = "identifier=http://acme.example/lab/reports|LAB-2026-0001"
        let answers = try await withThrowingTaskGroup(of: GatewayFixture.Answer.self) { group in
            for _ in 0..<6 {
                group.addTask {
                    try await fixture.request(
                        "POST", "/DiagnosticReport", posted, headers: ["If-None-Exist": condition])
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(answers.filter { $0.status == 201 }.count == 1, "\(answers.map(\.status))")
        #expect(answers.filter { $0.status == 200 }.count == 5)
        #expect(Set(answers.compactMap { $0.body["id"]?.string }).count == 1)
        let search = try await fixture.request(
            "GET", "/DiagnosticReport?identifier=http://acme.example/lab/reports%7CLAB-2026-0001")
        #expect(search.status == 200)
        #expect(search.body["total"] == .integer(1))
        let reports = try await fixture.test.node.reports(ofPatient: fixture.patient.id, limit: 10)
        #expect(reports.reports.count == 1)
    }

    @Test(.timeLimit(.minutes(2)))
    func updatesAreVersionedWithIfMatch() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        var posted = Self.diagnosticReport(subject: "{\"reference\": \"Patient/\(fixture.patient.id.hex)\"}")
        let created = try await fixture.request("POST", "/DiagnosticReport", posted)
        let id = try #require(created.body["id"]?.string)
        posted["conclusion"] = .string("Normal blood count; repeat in a year.")
        posted["status"] = .string("amended")
        let stale = try await fixture.request(
            "PUT", "/DiagnosticReport/\(id)", posted, headers: ["If-Match": "W/\"7\""])
        #expect(stale.status == 412)
        #expect(stale.body.resourceType == "OperationOutcome")
        let updated = try await fixture.request(
            "PUT", "/DiagnosticReport/\(id)", posted, headers: ["If-Match": "W/\"1\""])
        #expect(updated.status == 200, "\(updated.body)")
        #expect(updated.headers["etag"] == "W/\"2\"")
        let read = try await fixture.request("GET", "/DiagnosticReport/\(id)")
        #expect(read.headers["etag"] == "W/\"2\"")
        #expect(read.body["conclusion"] == posted["conclusion"])
        let first = try await fixture.request("GET", "/DiagnosticReport/\(id)/_history/1")
        #expect(first.status == 200)
        #expect(first.body["conclusion"]?.string == "Normal blood count.")
    }

    @Test(.timeLimit(.minutes(2)))
    func searchesPassThroughToTheNodesFacadeByMRN() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        try await fixture.registerMRN()
        let created = try await fixture.request(
            "POST", "/DiagnosticReport", Self.diagnosticReport(subject: Self.mrnSubject))
        let id = try #require(created.body["id"]?.string)
        let mrn = "\(GatewayFixture.mrnSystem)%7C\(GatewayFixture.mrn)"
        let found = try await fixture.request("GET", "/DiagnosticReport?patient.identifier=\(mrn)")
        #expect(found.status == 200, "\(String(decoding: found.body.encoded(), as: UTF8.self))")
        #expect(found.body["total"] == .integer(1))
        let entry = try #require(found.body["entry"]?[0])
        #expect(entry["resource"]?["id"]?.string == id)
        // The facade's metadata view: no plaintext; links point at the gateway.
        #expect(entry["resource"]?["conclusion"] == nil)
        #expect(entry["fullUrl"]?.string?.hasPrefix(fixture.gatewayURL) == true)
        #expect(found.body["link"]?[0]?["url"]?.string?.hasPrefix(fixture.gatewayURL) == true)
        let unknown = try await fixture.request("GET", "/DiagnosticReport?patient.identifier=urn:x%7Cnobody")
        #expect(unknown.body["total"] == .integer(0))
    }

    @Test(.timeLimit(.minutes(2)))
    func refusalsAreOperationOutcomes() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        let unknown = try await fixture.request(
            "GET", "/DiagnosticReport?patient=Patient/\(fixture.patient.id.hex)&colour=red")
        #expect(unknown.status == 400)
        #expect(unknown.body["issue"]?[0]?["code"]?.string == "not-supported")
        #expect(unknown.body["issue"]?[0]?["expression"]?[0]?.string == "colour")
        // No subject: the path names the element at fault.
        var noSubject = Self.diagnosticReport(subject: "null")
        noSubject["subject"] = nil
        let missing = try await fixture.request("POST", "/DiagnosticReport", noSubject)
        #expect(missing.status == 400)
        #expect(missing.body["issue"]?[0]?["expression"]?[0]?.string == "DiagnosticReport.subject")
        // An MRN the store does not know.
        let unknownMRN = try await fixture.request(
            "POST", "/DiagnosticReport", Self.diagnosticReport(subject: Self.mrnSubject))
        #expect(unknownMRN.status == 422)
        let route = try await fixture.request("GET", "/Nothing/here/at/all")
        #expect(route.status == 404)
        #expect(route.body.resourceType == "OperationOutcome")
        let big = FHIRValue.object([
            "resourceType": .string("DiagnosticReport"),
            "text": .string(String(repeating: "x", count: GatewayServer.bodyMaxBytes + 1)),
        ])
        let tooBig = try await fixture.request("POST", "/DiagnosticReport", big)
        #expect(tooBig.status == 413)
        let forbiddenRead = try await fixture.request("GET", "/DiagnosticReport/00000000000000000000000000000000")
        #expect(forbiddenRead.status == 403 || forbiddenRead.status == 404)
        #expect(forbiddenRead.body.resourceType == "OperationOutcome")
    }
}

/// `POST Consent` and `DELETE Consent/{id}`: the ledger takes grants only from the patient
/// (or a guardian), so the patient's own gateway grants and the organization's is refused.
@Suite(.serialized) struct GatewayConsentTests {
    static func consent(patient: String, grantee: String) -> FHIRValue {
        GatewayFixture.json(
            """
            {"resourceType": "Consent", "status": "active",
             "scope": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/consentscope", "code": "patient-privacy"}]},
             "category": [{"coding": [{"system": "http://loinc.org", "code": "59284-0"}]}],
             "patient": {"reference": "Patient/\(patient)"},
             "provision": {"type": "permit",
               "period": {"end": "2030-01-01T00:00:00Z"},
               "actor": [{"role": {"coding": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ParticipationType", "code": "PRCP"}]},
                          "reference": {"reference": "Organization/\(grantee)"}}],
               "purpose": [{"system": "http://terminology.hl7.org/CodeSystem/v3-ActReason", "code": "HRESCH"}],
               "class": [{"code": "HM"}]}}
            """)
    }

    @Test(.timeLimit(.minutes(2)))
    func thePatientsGatewayGrantsAndRevokesTheOrganizationsIsRefused() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        let body = Self.consent(patient: fixture.patient.id.hex, grantee: fixture.test.lab.id.hex)
        let refused = try await fixture.request("POST", "/Consent", body)
        #expect(refused.status == 403, "\(String(decoding: refused.body.encoded(), as: UTF8.self))")
        #expect(refused.body.resourceType == "OperationOutcome")

        let storeDirectory = fixture.storeDirectory.appendingPathExtension("patient")
        defer { try? FileManager.default.removeItem(at: storeDirectory) }
        let patientService = FHIRGatewayService(
            client: LedgerClient(
                gateway: HTTPGateway(
                    baseURL: fixture.nodeURL, me: fixture.patient, trustAnchor: fixture.test.node.genesis),
                me: fixture.patient),
            store: try GatewayStore(
                directory: storeDirectory, signingKey: Array(fixture.patient.keys.signing.rawRepresentation)))
        let created = try await patientService.createConsent(body)
        let id = try #require(created["id"]?.string)
        let grantID = try #require(GrantID(hex: id))
        let grant = try #require(await fixture.test.node.grant(grantID))
        #expect(grant.grantee == fixture.test.lab.id)
        #expect(grant.purpose == .research)
        #expect(grant.scope == .categories([Code("HM")!]))
        #expect(grant.validUntil == ConsensusTime(milliseconds: ISO8601.parse("2030-01-01T00:00:00Z")!))
        #expect(grant.revokedAt == nil)
        // The organization's gateway cannot revoke it either; the patient's can.
        let notRevoked = try await fixture.request("DELETE", "/Consent/\(id)")
        #expect(notRevoked.status == 403)
        try await patientService.deleteConsent(id: id)
        #expect(await fixture.test.node.grant(grantID)?.revokedAt != nil)
    }

    /// With a client token, only `metadata` answers without it; a wrong or missing token is a
    /// 401 OperationOutcome, and nothing reaches the service.
    @Test(.timeLimit(.minutes(2)))
    func aClientTokenGuardsEverythingButMetadata() async throws {
        let token = String(repeating: "7f", count: 32)
        let fixture = try await GatewayFixture.start(clientToken: token)
        defer { fixture.stop() }
        #expect(try await fixture.request("GET", "/metadata").status == 200)
        let patient = GatewayFixture.patientResource(fixture.patient.id)
        for headers in [[:], ["Authorization": "Bearer \(token.dropLast())"], ["Authorization": "Basic \(token)"]] {
            let refused = try await fixture.request("POST", "/Patient", patient, headers: headers)
            #expect(refused.status == 401 && refused.body["resourceType"]?.string == "OperationOutcome")
            #expect(refused.headers["www-authenticate"]?.hasPrefix("Bearer") == true)
        }
        #expect(try fixture.service.findPatient(identifier: "\(GatewayFixture.mrnSystem)|\(GatewayFixture.mrn)") == nil)
        let allowed = try await fixture.request(
            "POST", "/Patient", patient, headers: ["Authorization": "Bearer \(token)"])
        #expect(allowed.status == 200)
    }

    @Test func clientTokenFilesAreCheckedAndOnlyLoopbackGoesWithout() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("token-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: file) }
        try Data("short\n".utf8).write(to: file)
        #expect(throws: FHIRProblem.self) { try GatewayClientToken.read(path: file.path) }
        try Data("\(String(repeating: "ab", count: 32))\n".utf8).write(to: file)
        #expect(try GatewayClientToken.read(path: file.path) == String(repeating: "ab", count: 32))
        #expect(GatewayClientToken.isLoopback("127.0.0.1") && GatewayClientToken.isLoopback("localhost"))
        #expect(!GatewayClientToken.isLoopback("0.0.0.0") && !GatewayClientToken.isLoopback("10.1.2.3"))
    }

    /// A report written as plain bytes (the CLI, the portal) reads through the gateway as a
    /// DocumentReference holding them; asked for as a DiagnosticReport, the 404 says so.
    @Test(.timeLimit(.minutes(2)))
    func aPlainReportReadsAsADocumentReference() async throws {
        let fixture = try await GatewayFixture.start()
        defer { fixture.stop() }
        let text = "Haemoglobin 13.9 g/dL, written by the CLI"
        let (report, _) = try await fixture.service.client.submitReport(
            patient: fixture.patient.id, category: Code("LAB")!,
            draft: ReportDraft(title: "CBC", effectiveDate: "2026-11-30", body: Array(text.utf8)))
        let document = try await fixture.request("GET", "/DocumentReference/\(report.hex)")
        #expect(document.status == 200 && document.body["id"]?.string == report.hex)
        let data = document.body["content"]?[0]?["attachment"]?["data"]?.string
        #expect(data.flatMap { Data(base64Encoded: $0) } == Data(text.utf8))
        let asReport = try await fixture.request("GET", "/DiagnosticReport/\(report.hex)")
        #expect(asReport.status == 404)
        #expect(asReport.body["issue"]?[0]?["diagnostics"]?.string?.contains("DocumentReference/\(report.hex)") == true)
    }
}
