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
import MedLedgerVault

/// The case ids of a case list, in order.
private func ids(_ response: TestResponse) -> [String] {
    (response.json["cases"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
}

@Suite struct CaseRoutesTests {
    func openCase(
        _ fixture: APIFixture, _ id: CaseID, access: Hash256, report: ReportID, reader: ClientIdentity
    ) async throws {
        let receipt = try await fixture.commit(
            .openCase(
                OpenCase(
                    caseID: id, accessTransaction: access, report: report, reader: reader.id, concern: .wrongPurpose)
            ), by: fixture.patient)
        guard receipt.code == .ok else { throw FixtureError("open-case: \(receipt.sentence)") }
    }

    @Test func caseWithEvidenceForPatientAndTheReadersOrganization() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        let (denied, _) = try await cast.read(report, by: fixture.clinicReader)
        let caseID = CaseID.randomCaseID()
        try await openCase(fixture, caseID, access: denied, report: report, reader: fixture.clinicReader)
        let casePath = "/v1/cases/\(caseID.hex)"
        try await fixture.app().test(.router) { client in
            for viewer in [fixture.patient, fixture.clinic, cast.clinicOfficer, cast.clinicAdmin] {
                try await get(client, fixture, casePath, as: viewer) { response in
                    #expect(response.status == .ok, "\(viewer.label)")
                    let record = response.json["case"] as? [String: Any] ?? [:]
                    #expect(record["organization"] as? String == fixture.clinic.id.hex)
                    #expect(record["reader"] as? String == fixture.clinicReader.id.hex)
                    #expect(record["status"] as? String == "open")
                    #expect(record["concern"] as? String == "wrong-purpose")
                    #expect(response.json["evidenceMatches"] as? Bool == true)
                    #expect(response.json["evidenceProblem"] == nil)
                    let evidence = response.json["evidence"] as? [String: Any] ?? [:]
                    #expect(evidence["hash"] as? String == denied.hex)
                    #expect(evidence["codeName"] as? String == "no-active-grant")
                    #expect(evidence["type"] as? String == "access-report")
                    #expect((evidence["events"] as? [[String: Any]])?.first?["type"] as? String == "access")
                    #expect(evidence["transaction"] is String && evidence["receipt"] is String)
                    #expect(evidence["proof"] is [String: Any] && evidence["blockHash"] is String)
                    #expect(evidence["blockTime"] is String)
                }
            }
            // Neither the hospital, the reader, a stranger, nor anyone asking about an
            // unknown case learns anything; all get the same 403.
            for outsider in [fixture.hospital, cast.hospitalOfficer, fixture.clinicReader, fixture.stranger] {
                try await get(client, fixture, casePath, as: outsider) { response in
                    #expect(response.status == .forbidden, "\(outsider.label)")
                    #expect(response.json["field"] as? String == "id")
                }
            }
            try await get(client, fixture, "/v1/cases/\(CaseID.randomCaseID().hex)", as: fixture.patient) {
                #expect($0.status == .forbidden)
            }
            try await get(client, fixture, "/v1/cases/zz", as: fixture.patient) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "id")
            }
        }
    }

    @Test func evidenceThatDoesNotMatchIsSaidSo() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        let (authorRead, _) = try await cast.read(report, by: fixture.author)
        let (clinicRead, _) = try await cast.read(report, by: fixture.clinicReader)
        let cases: [(Hash256, ClientIdentity, String)] = [
            (Hash256.of([1, 2, 3]), fixture.clinicReader, "no committed transaction"),
            (authorRead, fixture.clinicReader, "names reader \(fixture.author.id.hex)"),
            (clinicRead, fixture.clinicReader, ""),
        ]
        var ids: [CaseID] = []
        for (access, reader, _) in cases {
            let id = CaseID.randomCaseID()
            ids.append(id)
            try await openCase(fixture, id, access: access, report: report, reader: reader)
        }
        // A transaction that is not a read at all: the patient's own registration.
        let registration = try #require(
            try await fixture.node.events(subject: fixture.patient.id.hash.bytes, limit: 500).events.last?
                .transactionHash)
        let notARead = CaseID.randomCaseID()
        try await openCase(fixture, notARead, access: registration, report: report, reader: fixture.clinicReader)
        let opened = ids
        try await fixture.app().test(.router) { client in
            for (id, (_, _, problem)) in zip(opened, cases) {
                try await get(client, fixture, "/v1/cases/\(id.hex)", as: fixture.patient) { response in
                    #expect(response.status == .ok)
                    #expect(response.json["evidenceMatches"] as? Bool == problem.isEmpty)
                    let text = response.json["evidenceProblem"] as? String ?? ""
                    #expect(problem.isEmpty ? text.isEmpty : text.contains(problem), "\(text)")
                }
            }
            try await get(client, fixture, "/v1/cases/\(notARead.hex)", as: fixture.patient) { response in
                #expect(response.json["evidenceMatches"] as? Bool == false)
                #expect((response.json["evidenceProblem"] as? String ?? "").contains("not an access-report"))
                #expect(response.json["evidence"] is [String: Any], "the transaction is still shown")
            }
        }
    }

    @Test func caseListsForPatientAndOrganization() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        let (first, _) = try await cast.read(report, by: fixture.clinicReader)
        let (second, _) = try await cast.read(report, by: fixture.author)
        let clinicCase = CaseID.randomCaseID()
        let hospitalCase = CaseID.randomCaseID()
        try await openCase(fixture, clinicCase, access: first, report: report, reader: fixture.clinicReader)
        try await openCase(fixture, hospitalCase, access: second, report: report, reader: fixture.author)
        let resolved = try await fixture.commit(
            .resolveCase(ResolveCase(caseID: clinicCase, resolution: .appropriate)), by: cast.clinicOfficer)
        #expect(resolved.code == .ok)
        let patientCases = "/v1/patients/\(fixture.patient.id.hex)/cases"
        let clinicCases = "/v1/organizations/\(fixture.clinic.id.hex)/cases"
        let hospitalCases = "/v1/organizations/\(fixture.hospital.id.hex)/cases"
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, patientCases, as: fixture.patient) { response in
                #expect(response.status == .ok)
                #expect(ids(response) == [hospitalCase.hex, clinicCase.hex], "newest first, each once")
                let statuses = (response.json["cases"] as? [[String: Any]] ?? []).compactMap { $0["status"] as? String }
                #expect(statuses == ["open", "resolved"])
            }
            try await get(client, fixture, patientCases, as: fixture.stranger) { #expect($0.status == .forbidden) }
            try await get(client, fixture, clinicCases, as: cast.clinicOfficer) { response in
                #expect(ids(response) == [clinicCase.hex])
                let record = (response.json["cases"] as? [[String: Any]])?.first ?? [:]
                #expect(record["resolution"] as? String == "appropriate")
                #expect(record["resolvedBy"] as? String == cast.clinicOfficer.id.hex)
            }
            try await get(client, fixture, clinicCases + "?status=open", as: cast.clinicOfficer) {
                #expect(ids($0).isEmpty)
            }
            try await get(client, fixture, clinicCases + "?status=resolved", as: fixture.clinic) {
                #expect(ids($0) == [clinicCase.hex])
            }
            try await get(client, fixture, hospitalCases + "?status=open", as: cast.hospitalOfficer) {
                #expect(ids($0) == [hospitalCase.hex])
            }
            try await get(client, fixture, clinicCases + "?status=closed", as: cast.clinicOfficer) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "status")
            }
            try await get(client, fixture, clinicCases, as: cast.hospitalOfficer) { #expect($0.status == .forbidden) }
            try await get(client, fixture, clinicCases, as: fixture.clinicReader) { #expect($0.status == .forbidden) }
        }
    }

    @Test func worklistSharedAndAwaitingApproval() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        // The patient shares the report with the clinic (its reader sees it through the
        // organization), then a second grant straight to the clinic reader, revoked later.
        let toClinic = GrantID.randomConsentGrantID()
        let toReader = GrantID.randomConsentGrantID()
        for (grant, grantee) in [(toClinic, fixture.clinic.id), (toReader, fixture.clinicReader.id)] {
            let receipt = try await fixture.commit(
                .grantAccess(
                    GrantAccess(
                        grant: grant, patient: fixture.patient.id, grantee: grantee, scope: .reports([report]),
                        purpose: .treatment, validFrom: nil, validUntil: nil)), by: fixture.patient)
            #expect(receipt.code == .ok)
        }
        #expect(try await fixture.commit(.revokeGrant(RevokeGrant(grant: toReader)), by: fixture.patient).code == .ok)
        // A preliminary report by an author who cannot approve.
        let pending = ReportID.random()
        let sealed = try ReportCrypto.seal(
            plaintext: Array("draft".utf8), title: "CBC", effectiveDate: "2027-01-15", note: nil, report: pending,
            version: 1,
            recipients: [
                (fixture.patient.id, fixture.patient.keys.publicEncryptionKey),
                (cast.hospitalJunior.id, cast.hospitalJunior.keys.publicEncryptionKey),
            ], custody: fixture.node.custody)
        _ = try await fixture.node.putBlob(sealed.blob, uploader: cast.hospitalJunior.id)
        let submitted = try await fixture.commit(
            .submitReport(
                SubmitReport(
                    report: pending, patient: fixture.patient.id, category: Code("LAB")!, content: sealed.content,
                    recipients: [])), by: cast.hospitalJunior)
        #expect(submitted.code == .ok)
        let readerList = "/v1/practitioners/\(fixture.clinicReader.id.hex)/worklist"
        let approverList = "/v1/practitioners/\(fixture.author.id.hex)/worklist"
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, readerList, as: fixture.clinicReader) { response in
                #expect(response.status == .ok)
                let shared = response.json["shared"] as? [[String: Any]] ?? []
                #expect(
                    shared.compactMap { ($0["grant"] as? [String: Any])?["id"] as? String } == [toClinic.hex],
                    "the revoked grant is gone; the grant to the organization counts")
                let reports = shared.first?["reports"] as? [[String: Any]] ?? []
                #expect(reports.compactMap { $0["id"] as? String } == [report.hex])
                #expect((response.json["awaitingApproval"] as? [Any])?.isEmpty == true, "a reader approves nothing")
            }
            try await get(client, fixture, approverList, as: fixture.author) { response in
                #expect(response.status == .ok)
                let waiting = response.json["awaitingApproval"] as? [[String: Any]] ?? []
                #expect(waiting.compactMap { $0["id"] as? String } == [pending.hex])
            }
            try await get(client, fixture, readerList, as: fixture.author) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["field"] as? String == "id")
            }
            try await get(client, fixture, readerList + "?sharedCursor=x", as: fixture.clinicReader) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "sharedCursor")
            }
        }
        #expect(
            try await fixture.commit(.approveReport(ApproveReport(report: pending, version: 1)), by: fixture.author)
                .code == .ok)
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, approverList, as: fixture.author) { response in
                #expect((response.json["awaitingApproval"] as? [Any])?.isEmpty == true, "approved: off the list")
            }
        }
    }
}
