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

/// Who looks after whom is not public: the identity proof anyone may fetch holds no guardian,
/// and the guardians route answers only the patient and her guardians.
@Suite struct GuardianRoutesTests {
    /// The patient names a self-registered guardian; returns the guardian.
    func nameGuardian(_ fixture: APIFixture) async throws -> ClientIdentity {
        try await fixture.registerCast()
        let guardian = ClientIdentity(label: "guardian", keys: .generate(suite: .x25519))
        let registered = try await fixture.commit(.registerPatient(RegisterPatient(keys: guardian.keys)), by: guardian)
        #expect(registered.code == .ok)
        let named = try await fixture.commit(
            .setGuardian(SetGuardian(guardian: guardian.id, isGuardian: true)), by: fixture.patient)
        #expect(named.code == .ok)
        return guardian
    }

    /// Whether `needle` occurs anywhere in `bytes`.
    func occurs(_ needle: [UInt8], in bytes: [UInt8]) -> Bool {
        guard bytes.count >= needle.count else { return false }
        return (0...(bytes.count - needle.count)).contains { Array(bytes[$0..<$0 + needle.count]) == needle }
    }

    func decoded(_ field: Any?) -> [UInt8] {
        (field as? String).flatMap { Data(base64Encoded: $0) }.map { Array($0) } ?? []
    }

    @Test func publicIdentityProofRevealsNoGuardian() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let guardian = try await nameGuardian(fixture)
        try await fixture.app().test(.router) { client in
            let path = "/v1/identities/\(fixture.patient.id.hex)/proof"
            let response = try await client.execute(uri: path, method: .get) { $0 }
            #expect(response.status == .ok)
            let record = decoded(response.json["record"])
            #expect(try IdentityRecord.decode(canonical: record).id == fixture.patient.id)
            #expect(!occurs(guardian.id.hash.bytes, in: record), "the public record names no guardian")
            let text = String(decoding: response.bytes, as: UTF8.self)
            #expect(!text.contains(guardian.id.hex), "nor does the answer's text")
        }
    }

    @Test func guardiansRouteAnswersThePatientAndHerGuardiansWithAProof() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let guardian = try await nameGuardian(fixture)
        let path = "/v1/patients/\(fixture.patient.id.hex)/guardians"
        try await fixture.app().test(.router) { client in
            for viewer in [fixture.patient, guardian] {
                try await get(client, fixture, path, as: viewer) { response in
                    #expect(response.status == .ok, "\(viewer.label)")
                    #expect(response.json["patient"] as? String == fixture.patient.id.hex)
                    #expect(response.json["guardians"] as? [String] == [guardian.id.hex])
                    let proven = response.json["proven"] as? [String: Any] ?? [:]
                    let record = decoded(proven["record"])
                    #expect(try GuardiansRecord.decode(canonical: record) == GuardiansRecord([guardian.id]))
                    let header = try BlockHeader.decode(canonical: decoded(proven["header"]))
                    let proof = try StateProof.decode(canonical: decoded(proven["proof"]))
                    #expect(
                        proof.verifies(
                            key: StateKey.guardians(fixture.patient.id).bytes, value: record,
                            stateRoot: header.stateRoot))
                }
            }
            try await get(client, fixture, path, as: fixture.stranger) { response in
                #expect(response.status == .forbidden)
                #expect(response.json["field"] as? String == "patient")
            }
            try await client.execute(uri: path, method: .get) { #expect($0.status == .unauthorized) }
            try await get(client, fixture, "/v1/patients/zz/guardians", as: fixture.patient) { response in
                #expect(response.status == .badRequest)
                #expect(response.json["field"] as? String == "id")
            }
        }
    }

    @Test func noGuardiansIsAnEmptyListWithoutAProof() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        try await fixture.registerCast()
        let path = "/v1/patients/\(fixture.patient.id.hex)/guardians"
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, path, as: fixture.patient) { response in
                #expect(response.status == .ok)
                #expect(response.json["guardians"] as? [String] == [])
                #expect(response.json["proven"] == nil)
            }
        }
    }

    @Test func aGuardianReadsThePatientsReportsAndGrantsForHer() async throws {
        let fixture = try APIFixture.make()
        defer { fixture.cleanUp() }
        let guardian = try await nameGuardian(fixture)
        let (report, _) = try await fixture.submitReport()
        try await fixture.app().test(.router) { client in
            try await get(client, fixture, "/v1/patients/\(fixture.patient.id.hex)/reports", as: guardian) {
                #expect($0.status == .ok)
            }
            try await get(client, fixture, "/v1/reports/\(report.hex)", as: guardian) { #expect($0.status == .ok) }
            try await get(client, fixture, "/v1/reports/\(report.hex)", as: fixture.stranger) {
                #expect($0.status == .forbidden)
            }
        }
        let grant = try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: GrantID.randomConsentGrantID(), patient: fixture.patient.id,
                    grantee: fixture.clinicReader.id,
                    scope: .allReports, purpose: .treatment, validFrom: nil, validUntil: nil)), by: guardian)
        #expect(grant.code == .ok)
        let refused = try await fixture.commit(
            .grantAccess(
                GrantAccess(
                    grant: GrantID.randomConsentGrantID(), patient: fixture.patient.id,
                    grantee: fixture.clinicReader.id,
                    scope: .allReports, purpose: .treatment, validFrom: nil, validUntil: nil)), by: fixture.stranger)
        #expect(refused.code == .notPatientOrGuardian)
    }
}
