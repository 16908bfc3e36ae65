import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage
import Testing

/// `GET /v1/patients/{id}/audit/export`: the same events as the JSON pages, the same
/// refusals, a client that refuses a damaged body, and one height for a whole export.
@Suite struct AuditExportTests {
    /// The cast, a report, and five read attempts in five blocks: denied (no grant), two
    /// allowed (after the patient's grant), denied (a stranger), allowed.
    static func fixtureWithReads() async throws -> (APIFixture, ReportID) {
        let fixture = try APIFixture.make()
        try await fixture.registerCast()
        let (report, _) = try await fixture.submitReport()
        try await read(report, fixture, by: fixture.clinicReader)
        let grant = try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: GrantID.randomConsentGrantID(), patient: fixture.patient.id,
                    grantee: fixture.clinicReader.id, scope: .allReports, purpose: .treatment, validFrom: nil,
                    validUntil: nil)), by: fixture.patient)
        #expect(grant.code == .ok, "\(grant.sentence)")
        try await read(report, fixture, by: fixture.clinicReader)
        try await read(report, fixture, by: fixture.clinicReader)
        try await read(report, fixture, by: fixture.stranger)
        try await read(report, fixture, by: fixture.clinicReader)
        return (fixture, report)
    }

    static func read(_ report: ReportID, _ fixture: APIFixture, by reader: ClientIdentity) async throws {
        try await fixture.commit(
            .accessReport(AccessReport(report: report, version: 1, purpose: .treatment)), by: reader)
    }

    static func exportPath(_ fixture: APIFixture) -> String { "/v1/patients/\(fixture.patient.id.hex)/audit/export" }

    @Test(.timeLimit(.minutes(1)))
    func exportHoldsTheJSONPagesEntriesInTheirOrder() async throws {
        let (fixture, _) = try await Self.fixtureWithReads()
        defer { fixture.cleanUp() }
        let (url, server) = try await EndToEndTests.startServer(fixture.node)
        defer { server.cancel() }
        let gateway = HTTPGateway(baseURL: url, me: fixture.patient, trustAnchor: fixture.node.genesis)
        var pages = [IndexedEvent]()
        var cursor: String?
        for _ in 0..<10 {
            let page = try await gateway.accessTrail(
                ofPatient: fixture.patient.id, caller: fixture.patient, page: PageRequest(cursor: cursor, limit: 2))
            pages += page.items
            cursor = page.nextCursor
            if cursor == nil { break }
        }
        #expect(pages.count == 5)
        let trail = try await gateway.auditTrailExport(ofPatient: fixture.patient.id, caller: fixture.patient)
        #expect(trail.events == pages, "same events, newest first")
        #expect(trail.patient == fixture.patient.id)
        #expect(trail.height == (await fixture.node.height))

        // The client refuses the same body cut short or about someone else.
        let bytes = try await gateway.auditTrailExportBytes(ofPatient: fixture.patient.id, caller: fixture.patient)
        #expect(throws: ClientError.self) {
            try HTTPGateway.decodeAuditTrailExport(Array(bytes.dropLast(20)), patient: fixture.patient.id)
        }
        #expect(throws: ClientError.self) {
            try HTTPGateway.decodeAuditTrailExport(bytes, patient: fixture.stranger.id)
        }
    }

    @Test func refusedExactlyAsTheJSONTrail() async throws {
        let (fixture, _) = try await Self.fixtureWithReads()
        defer { fixture.cleanUp() }
        let pages = "/v1/patients/\(fixture.patient.id.hex)/audit"
        let export = Self.exportPath(fixture)
        try await fixture.app().test(.router) { client in
            func answer(_ path: String, as identity: ClientIdentity?) async throws -> (
                HTTPResponse.Status, String?, String?
            ) {
                let headers = identity.map { fixture.signed("GET", path, as: $0) } ?? HTTPFields()
                return try await client.execute(uri: path, method: .get, headers: headers) { response in
                    (response.status, response.json["field"] as? String, response.json["detail"] as? String)
                }
            }
            for caller in [nil, fixture.stranger, fixture.clinicReader, fixture.author] {
                let refusal = try await answer(pages, as: caller)
                #expect(refusal.0 == (caller == nil ? .unauthorized : .forbidden))
                #expect(try await answer(export, as: caller) == refusal, "\(caller?.label ?? "unsigned")")
            }
            try await client.execute(
                uri: export, method: .get, headers: fixture.signed("GET", export, as: fixture.patient)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == AuditTrailExport.contentType)
                #expect((try? AuditTrailExport.decode(response.bytes))?.events.count == 5)
            }
        }
    }

    /// Blocks committed while an export runs (before its first page is read, and between
    /// two pages of the index) change nothing in it: it is the trail at the height it
    /// started at.
    @Test(arguments: [1, 2, 5])
    func aBlockCommittedBetweenPagesDoesNotChangeAnExportAlreadyStarted(pageRows: Int) async throws {
        let (fixture, report) = try await Self.fixtureWithReads()
        defer { fixture.cleanUp() }
        let height = await fixture.node.height
        let before = try await fixture.node.accessTrail(ofPatient: fixture.patient.id, limit: 100).events
        #expect(before.count == 5)
        var iterator = await fixture.node.auditTrailExport(ofPatient: fixture.patient.id, pageRows: pageRows)
            .makeAsyncIterator()
        var bytes = try #require(try await iterator.next(), "the header")
        // One block before the first page is read (the export's height keeps it out), one
        // after (the cursor, below the first page, keeps it out).
        try await Self.read(report, fixture, by: fixture.clinicReader)
        bytes += try #require(try await iterator.next(), "the first page")
        try await Self.read(report, fixture, by: fixture.clinicReader)
        for _ in 0..<10 {
            guard let chunk = try await iterator.next() else { break }
            bytes += chunk
        }
        #expect(try await iterator.next() == nil)
        let trail = try AuditTrailExport.decode(bytes)
        #expect(trail.height == height)
        #expect(trail.events == before)
        // A new export sees the read of the new block, first.
        var fresh = [UInt8]()
        let again = await fixture.node.auditTrailExport(ofPatient: fixture.patient.id, pageRows: pageRows)
        for try await chunk in again {
            fresh += chunk
        }
        let after = try AuditTrailExport.decode(fresh)
        #expect(after.height == height + 2)
        #expect(Array(after.events.dropFirst(2)) == before)
        #expect(after.events.prefix(2).map(\.height) == [height + 2, height + 1])
    }
}
