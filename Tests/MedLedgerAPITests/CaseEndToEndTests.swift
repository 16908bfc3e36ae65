import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerTesting
import Testing
import MedLedgerAPI
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode

/// A case over real HTTP, as `medledger case open / list / resolve` drives it: the patient
/// reports a denied read from the audit trail, the reader organization's privacy officer
/// finds the case and its evidence, and resolves it.
@Suite struct CaseEndToEndTests {
    @Test(.timeLimit(.minutes(1)))
    func patientReportsAReadAndThePrivacyOfficerResolvesIt() async throws {
        let (fixture, url, stop) = try await EndToEndTests.servingFixture()
        defer { stop() }
        let genesis = fixture.node.genesis
        let officer = ClientIdentity(label: "clinic privacy officer", keys: .generate())
        let hospital = EndToEndTests.client(fixture.hospital, url, anchor: genesis)
        let clinic = EndToEndTests.client(fixture.clinic, url, anchor: genesis)
        _ = try await hospital.registerPractitioner(
            fixture.author.keys, organization: fixture.hospital.id, roles: [.author, .approver])
        _ = try await clinic.registerPractitioner(
            fixture.clinicReader.keys, organization: fixture.clinic.id, roles: [.reader])
        _ = try await clinic.registerPractitioner(
            officer.keys, organization: fixture.clinic.id, roles: [.privacyOfficer])
        let patient = EndToEndTests.client(fixture.patient, url, anchor: genesis)
        try await patient.registerSelfAsPatient()
        let author = EndToEndTests.client(fixture.author, url, anchor: genesis)
        let (report, _) = try await author.submitReport(
            patient: fixture.patient.id, category: Code("LAB")!,
            draft: ReportDraft(title: "CBC", effectiveDate: "2027-02-01", body: Array("Hb 13".utf8)))
        let reader = EndToEndTests.client(fixture.clinicReader, url, anchor: genesis)
        let denied = try await reader.read(report, purpose: .treatment)
        #expect(denied.receipt.receipt.code == .noActiveGrant)

        // The patient takes the read from the audit trail, as `case open` is told to.
        let trail = try await patient.gateway.accessTrail(
            ofPatient: fixture.patient.id, caller: fixture.patient, page: PageRequest())
        let entry = try #require(trail.items.first)
        #expect(entry.transactionHash == denied.receipt.hash)
        let id = try await patient.openCase(
            accessTransaction: try #require(entry.transactionHash), report: report, reader: fixture.clinicReader.id,
            concern: .notInvolvedInCare)

        let http = HTTPGateway(baseURL: url, me: officer, trustAnchor: genesis)
        let open = try await http.cases(
            ofOrganization: fixture.clinic.id, status: .open, caller: officer, page: PageRequest())
        #expect(open.items.map(\.id) == [id])
        let detail = try await http.caseDetail(id, caller: officer)
        #expect(detail.evidenceMatches && detail.evidenceProblem == nil)
        #expect(detail.record.reader == fixture.clinicReader.id && detail.record.organization == fixture.clinic.id)

        // Only the privacy officer may resolve, once.
        await #expect(throws: ClientError.self) { try await clinic.resolveCase(id, resolution: .appropriate) }
        let officerClient = EndToEndTests.client(officer, url, anchor: genesis)
        try await officerClient.resolveCase(id, resolution: .inappropriate)
        await #expect(throws: ClientError.self) { try await officerClient.resolveCase(id, resolution: .appropriate) }

        let mine = try await HTTPGateway(baseURL: url, me: fixture.patient, trustAnchor: genesis).cases(
            ofPatient: fixture.patient.id, caller: fixture.patient, page: PageRequest())
        #expect(mine.items.map(\.status) == [.resolved])
        #expect(mine.items.first?.resolution == .inappropriate && mine.items.first?.resolvedBy == officer.id)
        // Someone else's cases are refused with the node's problem, not an empty list.
        await #expect(throws: NodeError.self) {
            try await http.cases(ofPatient: fixture.patient.id, caller: officer, page: PageRequest())
        }
    }
}
