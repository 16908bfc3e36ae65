import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerContracts
import MedLedgerCore
import MedLedgerFHIR

/// `fhir export`: every report of the patient whose key the client holds, read (each read is
/// an access on the ledger, purpose treatment, by the patient), decrypted, and gathered into
/// one Bundle of type collection with a Provenance per version read: who authored it for
/// which organization, who approved it, and when the ledger recorded it.
public enum FHIRExport {
    public static let reportsMax = 10_000

    public static func bundle(client: LedgerClient, progress: (Int) -> Void = { _ in }) async throws -> FHIRValue {
        var records: [ReportRecord] = []
        var cursor: String?
        repeat {
            let page = try await client.gateway.reports(
                ofPatient: client.me.id, caller: client.me, page: PageRequest(cursor: cursor, limit: 100))
            records += page.items
            cursor = page.nextCursor
            guard records.count <= reportsMax else {
                throw FHIRProblem(400, .tooCostly, "more than \(reportsMax) reports")
            }
        } while cursor != nil
        var entries: [FHIRValue] = []
        for record in records {
            let read = try await client.read(record.id, version: record.latest.version, purpose: .treatment)
            guard let opened = read.report else {
                throw FHIRProblem(
                    403, .forbidden, "the ledger denied reading report \(record.id): \(read.receipt.receipt.sentence)")
            }
            let resource = Self.resource(opened.plaintext, title: opened.metadata.title, record: record)
            let type = resource.resourceType ?? "DocumentReference"
            entries.append(.object(["fullUrl": .string("\(type)/\(record.id.hex)"), "resource": resource]))
            entries.append(.object(["resource": provenance(record, type: type)]))
            progress(entries.count / 2)
        }
        return .object([
            "resourceType": .string("Bundle"), "type": .string("collection"),
            "timestamp": .string(ISO8601.format(milliseconds: SystemClock.now().milliseconds)),
            "entry": .array(entries),
        ])
    }

    /// The sealed FHIR resource, or, for a report written as plain bytes (not through the
    /// gateway), a DocumentReference holding them as an attachment.
    static func resource(_ plaintext: [UInt8], title: String, record: ReportRecord) -> FHIRValue {
        var resource: FHIRValue
        if let parsed = try? FHIRValue.parse(plaintext), parsed.resourceType != nil {
            resource = parsed
        } else {
            resource = .object([
                "resourceType": .string("DocumentReference"), "status": .string("current"),
                "subject": .object(["reference": .string("Patient/\(record.patient.hex)")]),
                "description": .string(title),
                "content": .array([
                    .object([
                        "attachment": .object([
                            "contentType": .string("application/octet-stream"),
                            "data": .string(Data(plaintext).base64EncodedString()), "title": .string(title),
                        ])
                    ])
                ]),
            ])
        }
        return FHIRGatewayService.stored(resource, record: record, version: record.latest)
    }

    /// The version's Provenance, built with MedLedgerFHIR's model: the author on behalf of
    /// the organization, and each approver as verifier.
    static func provenance(_ record: ReportRecord, type: String) -> FHIRValue {
        let version = record.latest
        let organization = Reference(reference: "Organization/\(record.organization.hex)")
        func agent(_ role: String, _ who: IdentityID) -> Provenance.Agent {
            Provenance.Agent(
                type: CodeableConcept(system: FHIRSystem.provenanceParticipantType, code: role),
                who: Reference(reference: "Practitioner/\(who.hex)"), onBehalfOf: organization)
        }
        let provenance = Provenance(
            target: [Reference(reference: "\(type)/\(record.id.hex)/_history/\(version.version.rawValue)")],
            recorded: ISO8601.format(milliseconds: version.submittedAt.milliseconds),
            agent: [agent("author", version.author)] + version.approvals.map { agent("verifier", $0.approver) })
        return FHIRValue(model: provenance)
    }
}
