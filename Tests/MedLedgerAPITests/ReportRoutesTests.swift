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

@Suite struct ReportRoutesTests {
    @Test func reportBlobAndHistoryForThePatientOnly() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (id, sealed) = try await fixture.submitReport()
        let record = try #require(await fixture.node.report(id))
        let reportPath = "/v1/reports/\(id.hex)"
        let blobPath = "\(reportPath)/blobs/\(sealed.content.contentAddress.hex)"
        let historyPath = "\(reportPath)/history"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: reportPath, method: .get,
                headers: fixture.signed("GET", reportPath, as: fixture.patient)
            ) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["patient"] as? String == fixture.patient.id.hex)
                #expect(json["organization"] as? String == fixture.hospital.id.hex)
                #expect(json["category"] as? String == "LAB")
                let version = (json["versions"] as? [[String: Any]])?.first ?? [:]
                #expect(version["status"] as? String == "final")
                #expect(version["contentAddress"] as? String == sealed.content.contentAddress.hex)
                #expect(version["sizeBytes"] as? Int == Int(sealed.content.sizeBytes))
                let canonical = try #require(Data(base64Encoded: json["canonical"] as? String ?? ""))
                #expect(try ReportRecord.decode(canonical: Array(canonical)) == record)
            }
            try await client.execute(
                uri: reportPath, method: .get,
                headers: fixture.signed("GET", reportPath, as: fixture.stranger)
            ) { response in
                #expect(response.status == .forbidden)
            }
            try await client.execute(uri: reportPath, method: .get) { response in
                #expect(response.status == .unauthorized)
            }
            try await client.execute(
                uri: blobPath, method: .get,
                headers: fixture.signed("GET", blobPath, as: fixture.patient)
            ) { response in
                #expect(response.status == .ok)
                #expect(response.contentType == "application/octet-stream")
                #expect(response.bytes == sealed.blob)
            }
            let otherBlob = "\(reportPath)/blobs/\(Hash256.of([7]).hex)"
            try await client.execute(
                uri: otherBlob, method: .get,
                headers: fixture.signed("GET", otherBlob, as: fixture.patient)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["field"] as? String == "address")
            }
            try await client.execute(
                uri: historyPath, method: .get,
                headers: fixture.signed("GET", historyPath, as: fixture.author)
            ) { response in
                #expect(response.status == .ok)
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(
                    entries.compactMap { ($0["event"] as? [String: Any])?["action"] as? String }
                        == ["distributed", "submitted"], "newest first")
            }
        }
    }

    @Test func keyReleaseNeedsACommittedGrantedReceipt() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (id, _) = try await fixture.submitReport(body: "Ferritin 45 ng/mL")
        let keyPath = "/v1/reports/\(id.hex)/versions/1/key"
        let app = fixture.app()
        try await app.test(.router) { client in
            try await client.execute(
                uri: keyPath, method: .post,
                headers: fixture.signed("POST", keyPath, as: fixture.clinicReader)
            ) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["field"] as? String == "receipt")
            }
        }
        let granted = try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: .randomConsentGrantID(), patient: fixture.patient.id,
                    grantee: fixture.clinicReader.id, scope: .allReports,
                    purpose: .treatment, validFrom: nil, validUntil: nil)),
            by: fixture.patient)
        #expect(granted.code == .ok, "\(granted.sentence)")
        let access = try await fixture.commit(
            .accessReport(AccessReport(report: id, version: 1, purpose: .treatment)),
            by: fixture.clinicReader)
        #expect(access.code == .ok, "\(access.sentence)")
        try await app.test(.router) { client in
            try await client.execute(
                uri: keyPath, method: .post,
                headers: fixture.signed("POST", keyPath, as: fixture.clinicReader)
            ) { response in
                #expect(response.status == .ok)
                let json = response.json
                #expect(json["recipient"] as? String == fixture.clinicReader.id.hex)
                let canonical = try #require(Data(base64Encoded: json["canonical"] as? String ?? ""))
                let envelope = try KeyEnvelope.decode(canonical: Array(canonical))
                #expect(Data(envelope.wrappedKey).base64EncodedString() == json["wrappedKey"] as? String)
                // One node holds the one share (1 of 1): the answer says which x and threshold.
                #expect(json["shareIndex"] as? Int == 1)
                #expect(json["threshold"] as? Int == 1)
                let share = try ReportCrypto.unwrapShare(
                    envelope, using: fixture.clinicReader.keys, x: 1, threshold: 1, report: id, version: 1)
                let record = try #require(await fixture.node.report(id))
                let key = try ReportCrypto.combineShares(
                    [share], threshold: 1, commitments: record.latest.content.shareCommitments, report: id, version: 1)
                let blob = try #require(try fixture.node.blobs.get(record.latest.content.contentAddress))
                let opened = try ReportCrypto.open(
                    blob: blob, content: record.latest.content, dataKey: key,
                    report: id, version: 1)
                #expect(String(decoding: opened.plaintext, as: UTF8.self) == "Ferritin 45 ng/mL")
            }
            let auditPath = "/v1/patients/\(fixture.patient.id.hex)/audit"
            try await client.execute(
                uri: auditPath, method: .get,
                headers: fixture.signed("GET", auditPath, as: fixture.patient)
            ) { response in
                let entries = response.json["entries"] as? [[String: Any]] ?? []
                #expect(entries.count == 1)
                #expect(entries.first?["outcome"] as? String == "allowed")
                #expect(entries.first?["basis"] as? String == "grant")
                #expect(entries.first?["reader"] as? String == fixture.clinicReader.id.hex)
                #expect(entries.first?["grant"] is String)
                #expect(entries.first?["canonical"] is String)
            }
        }
    }

    @Test func patientListsReportsAndGrantsWithStatus() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let (id, _) = try await fixture.submitReport()
        let grant = GrantID.randomConsentGrantID()
        try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: grant, patient: fixture.patient.id,
                    grantee: fixture.clinic.id, scope: .reports([id]),
                    purpose: .research, validFrom: nil, validUntil: nil)),
            by: fixture.patient)
        try await fixture.commit(.revokeGrant(RevokeGrant(grant: grant)), by: fixture.patient)
        let reportsPath = "/v1/patients/\(fixture.patient.id.hex)/reports"
        let grantsPath = "/v1/patients/\(fixture.patient.id.hex)/grants"
        try await fixture.app().test(.router) { client in
            try await client.execute(
                uri: reportsPath, method: .get,
                headers: fixture.signed("GET", reportsPath, as: fixture.patient)
            ) { response in
                #expect((response.json["reports"] as? [[String: Any]])?.map { $0["id"] as? String } == [id.hex])
            }
            try await client.execute(
                uri: grantsPath, method: .get,
                headers: fixture.signed("GET", grantsPath, as: fixture.patient)
            ) { response in
                let grants = response.json["grants"] as? [[String: Any]] ?? []
                #expect(grants.count == 1)
                #expect(grants.first?["id"] as? String == grant.hex)
                #expect(grants.first?["status"] as? String == "revoked")
                #expect(grants.first?["purpose"] as? String == "research")
                let canonical = try #require(Data(base64Encoded: grants.first?["canonical"] as? String ?? ""))
                #expect(try GrantRecord.decode(canonical: Array(canonical)).id == grant)
            }
        }
    }

    @Test func blobUploadRefusesOversizedAndUnsignedBodies() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        try await fixture.app().test(.router) { client in
            try await client.execute(uri: "/v1/blobs", method: .put, body: ByteBuffer(bytes: [1])) { response in
                #expect(response.status == .unauthorized)
            }
            let oversized = ByteBuffer(repeating: 7, count: Limits.blobMaxBytes + 1)
            try await client.execute(
                uri: "/v1/blobs", method: .put,
                headers: fixture.signed("PUT", "/v1/blobs", as: fixture.author),
                body: oversized
            ) { response in
                #expect(response.status == .contentTooLarge)
                #expect(response.contentType == APIProblem.contentType)
            }
        }
    }
}
