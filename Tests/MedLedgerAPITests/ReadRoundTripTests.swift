import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerTesting
import Testing

/// Issue 7.7: a granted reader reads a report over real HTTP in at most three round trips
/// (the report or nonce, the access transaction held to its commit, the content), counted by
/// the server itself (`/metrics`), so the count does not depend on the client's honesty.
@Suite struct ReadRoundTripTests {
    @Test(.timeLimit(.minutes(1)), arguments: [false, true])
    func aGrantedReadTakesAtMostThreeRequests(versionGiven: Bool) async throws {
        let (fixture, url, stop) = try await EndToEndTests.servingFixture()
        defer { stop() }
        let client = { (identity: ClientIdentity) in EndToEndTests.client(identity, url, anchor: fixture.node.genesis) }
        _ = try await client(fixture.hospital).registerPractitioner(
            fixture.author.keys, organization: fixture.hospital.id,
            roles: [.author])
        _ = try await client(fixture.clinic).registerPractitioner(
            fixture.clinicReader.keys, organization: fixture.clinic.id,
            roles: [.reader])
        let patient = client(fixture.patient)
        try await patient.registerSelfAsPatient()
        let draft = ReportDraft(title: "Lipid panel", body: Array("LDL 2.1 mmol/L".utf8))
        let (report, _) = try await client(fixture.author).submitReport(
            patient: fixture.patient.id,
            category: Code("LAB")!, draft: draft)
        _ = try await patient.grant(
            patient: fixture.patient.id, to: fixture.clinicReader.id, scope: .allReports,
            purpose: .treatment)

        let reader = client(fixture.clinicReader)  // a fresh gateway: no cached nonce or chain id
        let before = try await MetricsScrape.total("medledger_http_requests_total", at: url)
        let read = try await reader.read(report, version: versionGiven ? 1 : nil, purpose: .treatment)
        let after = try await MetricsScrape.total("medledger_http_requests_total", at: url)
        #expect(read.report.map { String(decoding: $0.plaintext, as: UTF8.self) } == "LDL 2.1 mmol/L")
        // `after` also counts the first `/metrics` request, answered after its own snapshot.
        let roundTrips = after - before - 1
        #expect(roundTrips <= 3, "a read took \(roundTrips) requests")
        #expect(roundTrips == 3)
    }
}
