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

/// The cast of `APIFixture.registerCast`, plus practitioners with oversight roles, a hospital
/// author who cannot approve, and reads by three kinds of readers.
struct OversightCast {
    let fixture: APIFixture
    let hospitalOfficer = ClientIdentity(label: "hospital privacy officer", keys: .generate())
    let hospitalReader = ClientIdentity(label: "hospital reader", keys: .generate())
    let hospitalJunior = ClientIdentity(label: "hospital junior author", keys: .generate())
    let clinicOfficer = ClientIdentity(label: "clinic privacy officer", keys: .generate())
    let clinicAdmin = ClientIdentity(label: "clinic admin", keys: .generate())

    func register(_ who: ClientIdentity, at org: ClientIdentity, _ roles: [Role]) async throws {
        let receipt = try await fixture.commit(
            .registerPractitioner(
                RegisterPractitioner(
                    organization: org.id, signingKey: who.keys.publicSigningKey,
                    encryptionKey: who.keys.publicEncryptionKey, roles: roles)), by: org)
        guard receipt.code == .ok else { throw FixtureError("register \(who.label): \(receipt.sentence)") }
    }

    func setUp() async throws {
        try await fixture.registerCast()
        try await register(hospitalOfficer, at: fixture.hospital, [.privacyOfficer])
        try await register(hospitalReader, at: fixture.hospital, [.reader])
        try await register(hospitalJunior, at: fixture.hospital, [.author])
        try await register(clinicOfficer, at: fixture.clinic, [.privacyOfficer])
        try await register(clinicAdmin, at: fixture.clinic, [.admin])
    }

    /// A read, committed; returns its transaction hash and receipt.
    func read(_ report: ReportID, by reader: ClientIdentity, purpose: Purpose = .treatment) async throws -> (
        Hash256, TransactionReceipt
    ) {
        let tx = await fixture.transaction(
            .accessReport(AccessReport(report: report, version: 1, purpose: purpose)), by: reader)
        try await fixture.node.submit(tx)
        try await fixture.fixtureBlock()
        guard case .committed(let stored) = try await fixture.node.transactionStatus(tx.hash) else {
            throw FixtureError("read not committed")
        }
        return (tx.hash, stored.receipt)
    }
}

extension APIFixture {
    func fixtureBlock() async throws { try await produceBlock() }
}

/// Runs a signed GET through the real router and hands the response to `check`.
func get(
    _ client: some TestClientProtocol, _ fixture: APIFixture, _ path: String, as identity: ClientIdentity,
    _ check: (TestResponse) throws -> Void
) async throws {
    let response = try await client.execute(
        uri: path, method: .get, headers: fixture.signed("GET", path, as: identity)
    ) { $0 }
    try check(response)
}

@Suite struct OrganizationRoutesTests {
    @Test func accessLogListsEveryReadByTheOrganizationsPractitioners() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        let (authorRead, _) = try await cast.read(report, by: fixture.author)
        let (deniedRead, denied) = try await cast.read(report, by: fixture.clinicReader, purpose: .research)
        #expect(denied.code == .noActiveGrant)
        _ = try await cast.read(report, by: fixture.patient)
        _ = try await cast.read(report, by: cast.hospitalReader, purpose: .legal)
        let hospitalLog = "/v1/organizations/\(fixture.hospital.id.hex)/access-log"
        let clinicLog = "/v1/organizations/\(fixture.clinic.id.hex)/access-log"
        try await fixture.app().test(.router) { client in
            for overseer in [cast.hospitalOfficer, fixture.hospital] {
                try await get(client, fixture, hospitalLog, as: overseer) { response in
                    #expect(response.status == .ok)
                    let entries = response.json["entries"] as? [[String: Any]] ?? []
                    #expect(
                        entries.map { $0["reader"] as? String } == [cast.hospitalReader.id.hex, fixture.author.id.hex],
                        "newest first; the patient's own read names no organization")
                    #expect(entries.allSatisfy { $0["organization"] as? String == fixture.hospital.id.hex })
                    #expect(entries.last?["transaction"] as? String == authorRead.hex)
                    let event = entries.last?["event"] as? [String: Any] ?? [:]
                    #expect(
                        event["type"] as? String == "access"
                            && event["organization"] as? String == fixture.hospital.id.hex)
                    #expect(entries.allSatisfy { EventCursor($0["cursor"] as? String ?? "") != nil })
                    #expect(response.json["nextCursor"] == nil)
                    #expect(response.json["scanned"] as? Int == 2)
                }
            }
            try await get(client, fixture, clinicLog, as: cast.clinicAdmin) { response in
                #expect(response.status == .ok)
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(entries.count == 1)
                #expect(entries.first?["outcome"] as? String == "denied")
                #expect(entries.first?["codeName"] as? String == "no-active-grant")
                #expect(entries.first?["transaction"] as? String == deniedRead.hex)
            }
            // Filters.
            let filtered: [(String, [String])] = [
                ("?outcome=denied", []),
                ("?outcome=allowed", [cast.hospitalReader.id.hex, fixture.author.id.hex]),
                ("?purpose=legal", [cast.hospitalReader.id.hex]),
                ("?practitioner=\(fixture.author.id.hex)", [fixture.author.id.hex]),
                ("?patient=\(fixture.stranger.id.hex)", []),
                ("?patient=\(fixture.patient.id.hex)&purpose=treatment", [fixture.author.id.hex]),
                ("?from=2030-01-01T00:00:00Z", []),
                (
                    "?to=2030-01-01T00:00:00.000Z&from=1800000000000",
                    [cast.hospitalReader.id.hex, fixture.author.id.hex]
                ),
            ]
            for (query, readers) in filtered {
                try await get(client, fixture, hospitalLog + query, as: cast.hospitalOfficer) { response in
                    #expect(response.status == .ok, "\(query)")
                    let entries = response.json["entries"] as? [[String: Any]] ?? []
                    #expect(entries.map { $0["reader"] as? String ?? "" } == readers, "\(query)")
                }
            }
            // Paging: one at a time, with the cursor.
            var cursor: String?
            try await get(client, fixture, hospitalLog + "?limit=1", as: cast.hospitalOfficer) { response in
                #expect((response.json["entries"] as? [Any])?.count == 1)
                cursor = response.json["nextCursor"] as? String
            }
            let next = try #require(cursor)
            #expect(next.contains("."), "an event cursor, HEIGHT.POSITION.INDEX")
            try await get(client, fixture, hospitalLog + "?limit=1&cursor=\(next)", as: cast.hospitalOfficer) {
                response in
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(entries.map { $0["reader"] as? String } == [fixture.author.id.hex])
            }
            // Refusals name the parameter.
            let bad: [(String, String)] = [
                ("?outcome=maybe", "outcome"), ("?purpose=curiosity", "purpose"), ("?from=yesterday", "from"),
                ("?to=2027-13-01", "to"), ("?patient=abc", "patient"), ("?practitioner=xyz", "practitioner"),
                ("?limit=0", "limit"), ("?cursor=nope", "cursor"),
                ("?from=2027-01-02&to=2027-01-01", "to"),
            ]
            for (query, field) in bad {
                try await get(client, fixture, hospitalLog + query, as: cast.hospitalOfficer) { response in
                    #expect(response.status == .badRequest, "\(query)")
                    #expect(response.json["field"] as? String == field, "\(query)")
                }
            }
            // Who may not: a reader without oversight roles, another organization's
            // officer and key, a patient, and anyone asking about an id that is no organization.
            for outsider in [cast.hospitalReader, cast.clinicOfficer, fixture.clinic, fixture.patient, fixture.author] {
                try await get(client, fixture, hospitalLog, as: outsider) { response in
                    #expect(response.status == .forbidden, "\(outsider.label)")
                    #expect(response.json["field"] as? String == "id")
                }
            }
            let nobody = "/v1/organizations/\(fixture.stranger.id.hex)/access-log"
            try await get(client, fixture, nobody, as: cast.hospitalOfficer) { #expect($0.status == .forbidden) }
            try await client.execute(uri: hospitalLog, method: .get) { #expect($0.status == .unauthorized) }
        }
    }

    @Test func aFilteredPageScansABoundedNumberOfRows() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let (report, _) = try await fixture.submitReport()
        for _ in 0..<5 { _ = try await cast.read(report, by: fixture.author) }
        _ = try await cast.read(report, by: fixture.author, purpose: .legal)
        var filter = AccessLogFilter()
        filter.purpose = .emergency
        // Nothing matches: a budget of 4 rows stops short of the six and says where.
        let first = try await fixture.node.accessLog(
            ofOrganization: fixture.hospital.id, filter: filter, before: nil, limit: 10, scanMax: 4)
        #expect(first.events.isEmpty && first.scanned == 4)
        let resume = try #require(first.next, "a page cut by the budget must say where to go on")
        let second = try await fixture.node.accessLog(
            ofOrganization: fixture.hospital.id, filter: filter, before: resume, limit: 10, scanMax: 4)
        #expect(second.events.isEmpty && second.scanned == 2 && second.next == nil, "the end of the list")
        // Matches found within the budget; the page ends at the limit.
        filter.purpose = .treatment
        let page = try await fixture.node.accessLog(
            ofOrganization: fixture.hospital.id, filter: filter, before: nil, limit: 2, scanMax: 4)
        #expect(page.events.count == 2 && page.scanned == 3 && page.next == page.events.last?.cursor)
        // The route reports what it scanned.
        let path = "/v1/organizations/\(fixture.hospital.id.hex)/access-log?purpose=emergency"
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, path, as: cast.hospitalOfficer) { response in
                #expect(response.status == .ok)
                #expect(response.json["scanned"] as? Int == 6)
                #expect(response.json["nextCursor"] == nil)
            }
        }
        #expect(LedgerNode.filteredScanMaxRows == 2_000)
    }

    @Test func practitionersAreListedForOverseers() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let cast = OversightCast(fixture: fixture)
        try await cast.setUp()
        let path = "/v1/organizations/\(fixture.hospital.id.hex)/practitioners"
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, path, as: fixture.hospital) { response in
                #expect(response.status == .ok)
                let ids = (response.json["practitioners"] as? [[String: Any]] ?? []).compactMap { $0["id"] as? String }
                #expect(
                    ids == [
                        cast.hospitalJunior.id.hex, cast.hospitalReader.id.hex, cast.hospitalOfficer.id.hex,
                        fixture.author.id.hex,
                    ])
            }
            try await get(client, fixture, path + "?limit=2", as: cast.hospitalOfficer) { response in
                #expect((response.json["practitioners"] as? [Any])?.count == 2)
                #expect(response.json["nextCursor"] is String)
            }
            try await get(client, fixture, path, as: cast.clinicAdmin) { #expect($0.status == .forbidden) }
            try await get(client, fixture, path, as: cast.hospitalReader) { #expect($0.status == .forbidden) }
        }
    }
}
