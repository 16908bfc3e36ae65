import Foundation
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR
import Testing

@Suite struct FHIRMappingTests {
    let mapper = FHIRFixtures.mapper

    @Test func patientIsPseudonymous() throws {
        let patient = mapper.patient(FHIRFixtures.identity(FHIRFixtures.patientKeys, .patient))
        #expect(patient.id == FHIRFixtures.patient.hex)
        #expect(patient.identifier == [Identifier(system: FHIRSystem.identity, value: FHIRFixtures.patient.hex)])
        #expect(patient.name == nil && patient.birthDate == nil)
        let json = String(decoding: try FHIRJSON.encode(patient), as: UTF8.self)
        #expect(json.hasPrefix("{\"active\":true,\"id\":"))
        #expect(!json.contains("null"))
    }

    @Test func practitionerRoleNamesOrganizationAndRoles() throws {
        let identity = FHIRFixtures.identity(
            FHIRFixtures.authorKeys, .practitioner, organization: FHIRFixtures.organization)
        let role = try #require(mapper.practitionerRole(identity))
        #expect(role.organization?.reference == "Organization/\(FHIRFixtures.organization.hex)")
        #expect(role.code?.compactMap { $0.coding?.first?.code } == ["author", "approver"])
        #expect(mapper.practitionerRole(FHIRFixtures.identity(FHIRFixtures.patientKeys, .patient)) == nil)
    }

    @Test func diagnosticReportCarriesLedgerFactsAndCiphertextOnly() throws {
        let report = FHIRFixtures.report
        let latest = try #require(mapper.diagnosticReport(report))
        #expect(latest.status == "amended")
        #expect(latest.meta?.versionId == "2")
        #expect(latest.issued == "1970-01-01T00:00:04.000Z")
        #expect(latest.subject?.reference == "Patient/\(FHIRFixtures.patient.hex)")
        #expect(
            latest.performer?.map(\.reference) == [
                "Organization/\(FHIRFixtures.organization.hex)", "Practitioner/\(FHIRFixtures.author.hex)",
            ])
        #expect(latest.category?.first?.coding?.first == Coding(system: FHIRSystem.loinc, code: "LP7789-9"))
        let form = try #require(latest.presentedForm?.first)
        let address = report.latest.content.contentAddress.hex
        #expect(form.url == "https://node.example:8443/v1/reports/\(FHIRFixtures.reportID.hex)/blobs/\(address)")
        #expect(form.hash == nil && form.data == nil)
        #expect(form.extension?.first == Extension(url: FHIRExtensionURL.contentSHA256, valueString: address))
        let replaces = latest.extension?.first { $0.url == FHIRExtensionURL.replaces }
        #expect(replaces?.valueReference?.reference == "DiagnosticReport/\(FHIRFixtures.reportID.hex)/_history/1")

        let first = try #require(mapper.diagnosticReport(report, version: 1))
        #expect(first.status == "final" && first.meta?.versionId == "1" && first.extension == nil)
        #expect(mapper.diagnosticReport(report, version: 3) == nil)
    }

    @Test func documentReferenceSupersedesOlderVersions() throws {
        let report = FHIRFixtures.report
        let latest = try #require(mapper.documentReference(report))
        #expect(latest.status == "current" && latest.docStatus == "amended")
        #expect(
            latest.relatesTo?.first?.target.reference == "DocumentReference/\(FHIRFixtures.reportID.hex)/_history/1")
        let first = try #require(mapper.documentReference(report, version: 1))
        #expect(first.status == "superseded" && first.docStatus == "final" && first.relatesTo == nil)
    }

    @Test func everyLedgerStatusHasAnR4Status() {
        let r4 = [
            "registered", "preliminary", "final", "amended", "corrected", "appended", "cancelled", "entered-in-error",
        ]
        for tag in UInt8(1)...8 {
            let status = ReportStatus(rawValue: tag)!
            #expect(r4.contains(FHIRMapper.diagnosticReportStatus(status)))
        }
        #expect(FHIRMapper.documentStatus(.cancelled) == nil)
    }

    @Test func consentFollowsGrantLifecycle() throws {
        let active = mapper.consent(FHIRFixtures.grant(), at: ConsensusTime(milliseconds: 6_000))
        #expect(active.status == "active")
        #expect(active.provision?.period == Period(start: "1970-01-01T00:00:05.000Z", end: "1970-01-01T00:01:40.000Z"))
        #expect(active.provision?.purpose == [FHIRMapper.purposeCoding(.treatment)])
        #expect(active.provision?.actor?.first?.reference.reference == "Practitioner/\(FHIRFixtures.author.hex)")
        #expect(active.provision?.code?.first?.coding?.first?.code == "LP7789-9")

        let revoked = mapper.consent(
            FHIRFixtures.grant(revokedAt: ConsensusTime(milliseconds: 7_000)), at: ConsensusTime(milliseconds: 8_000))
        #expect(revoked.status == "inactive")
        #expect(revoked.provision?.period?.end == "1970-01-01T00:00:07.000Z")
        #expect(revoked.extension?.contains { $0.url == FHIRExtensionURL.revokedAt } == true)

        let expired = mapper.consent(FHIRFixtures.grant(), at: ConsensusTime(milliseconds: 200_000))
        #expect(expired.status == "inactive")
    }

    @Test func auditEventForAllowedAndDeniedReads() throws {
        func indexed(_ basis: AccessBasis) -> IndexedEvent {
            IndexedEvent(
                height: 7, position: 2, eventIndex: 0, time: ConsensusTime(milliseconds: 9_000),
                transactionHash: Hash256.of([9]),
                event: .access(
                    report: FHIRFixtures.reportID, version: 2, patient: FHIRFixtures.patient,
                    reader: FHIRFixtures.author, purpose: .treatment, basis: basis,
                    organization: FHIRFixtures.organization))
        }
        let allowed = try #require(mapper.auditEvent(indexed(.grant(FHIRFixtures.grantID))))
        #expect(allowed.id == "7-2-0" && allowed.outcome == "0" && allowed.action == "R")
        #expect(allowed.agent.first?.who?.reference == "Practitioner/\(FHIRFixtures.author.hex)")
        #expect(allowed.entity?.contains { $0.what?.reference == "Consent/\(FHIRFixtures.grantID.hex)" } == true)
        let denied = try #require(mapper.auditEvent(indexed(.denied(.noActiveGrant))))
        #expect(denied.outcome == "4")
        #expect(denied.outcomeDesc?.hasPrefix("denied: ") == true)
        #expect(FHIRMapper.parseEventID("7-2-0")?.height == 7)
        #expect(FHIRMapper.parseEventID("7-2") == nil && FHIRMapper.parseEventID("a-b-c") == nil)
    }

    @Test func provenanceNamesSignerVersionAndBlock() throws {
        let transaction = Transaction(
            chainID: "test", signer: FHIRFixtures.approver, keys: FHIRFixtures.approverKeys, nonce: 3,
            payload: .approveReport(ApproveReport(report: FHIRFixtures.reportID, version: 2)))
        let receipt = TransactionReceipt(
            code: .ok,
            events: [
                .report(
                    report: FHIRFixtures.reportID, version: 2, patient: FHIRFixtures.patient, action: .approved,
                    status: .amended, organization: FHIRFixtures.organization)
            ])
        let stored = StoredTransaction(transaction: transaction, receipt: receipt, height: 12, position: 0)
        let provenance = try #require(mapper.provenance(stored, time: ConsensusTime(milliseconds: 4_000)))
        #expect(provenance.id == transaction.hash.hex)
        #expect(provenance.target.map(\.reference) == ["DiagnosticReport/\(FHIRFixtures.reportID.hex)/_history/2"])
        #expect(provenance.agent.first?.who.reference == "Practitioner/\(FHIRFixtures.approver.hex)")
        #expect(provenance.extension?.first == Extension(url: FHIRExtensionURL.blockHeight, valueString: "12"))
        let signature = try #require(provenance.signature?.first?.data)
        #expect(Data(base64Encoded: signature).map(Array.init) == transaction.signature.rawBytes)

        let empty = StoredTransaction(
            transaction: transaction, receipt: TransactionReceipt(code: .ok), height: 12, position: 0)
        #expect(mapper.provenance(empty, time: ConsensusTime(milliseconds: 4_000)) == nil)
    }

    @Test func bundleRoundTripsThroughAnyResource() throws {
        var bundle = Bundle(type: "searchset")
        bundle.total = 1
        bundle.entry = [
            Bundle.Entry(
                fullUrl: "https://node.example:8443/fhir/DiagnosticReport/x",
                resource: .diagnosticReport(try #require(mapper.diagnosticReport(FHIRFixtures.report))),
                search: Bundle.Search(mode: "match"))
        ]
        let data = try FHIRJSON.encode(bundle)
        let decoded = try FHIRJSON.decode(AnyResource.self, from: data)
        #expect(decoded == .bundle(bundle))
        #expect(try FHIRJSON.encode(decoded) == data)
        let unknown = Data(#"{"resourceType":"Medication","id":"m"}"#.utf8)
        #expect(throws: DecodingError.self) { try FHIRJSON.decode(AnyResource.self, from: unknown) }
    }
}
