import Foundation
import MedLedgerContracts
import MedLedgerCore

/// The gateway's index of the reports it wrote: a summary per report (type, patient,
/// category, status, code, identifiers, version), sealed in its store, for conditional
/// creates and searches that need no decryption and no ledger access record.
extension FHIRGatewayService {
    struct Summary {
        let resource: FHIRValue
        let location: String
        let version: UInt32
        let patient: String
        let identifiers: [String]
        let category: String
        let status: String
        let lastUpdated: String
    }

    func file(_ prepared: PreparedReport, report: ReportRecord) throws {
        let latest = report.latest
        var fields: [String: FHIRValue] = [
            "resourceType": .string(prepared.resourceType), "id": .string(report.id.hex),
            "patient": .string(report.patient.hex), "category": .string(report.category.value),
            "status": prepared.resource["status"] ?? .string("unknown"),
            "version": .integer(Int64(latest.version.rawValue)),
            "lastUpdated": .string(ISO8601.format(milliseconds: latest.submittedAt.milliseconds)),
            "identifiers": .array(prepared.identifiers.map(FHIRValue.string)),
        ]
        for element in ["code", "type", "category", "identifier"] {
            if let value = prepared.resource[element] { fields["element.\(element)"] = value }
        }
        try store.set(.report, report.id.hex, String(decoding: FHIRValue.object(fields).encoded(), as: UTF8.self))
        for identifier in prepared.identifiers {
            try store.set(.resourceIdentifier, "\(prepared.resourceType)|\(identifier)", report.id.hex)
        }
    }

    func summary(_ reportHex: String) throws -> Summary? {
        guard let text = try store.value(.report, reportHex) else { return nil }
        return Self.summary(from: try FHIRValue.parse(Array(text.utf8)))
    }

    func summaries() throws -> [Summary] {
        try store.values(.report).compactMap { Self.summary(from: try FHIRValue.parse(Array($0.utf8))) }
    }

    static func summary(from fields: FHIRValue) -> Summary? {
        guard let type = fields["resourceType"]?.string, let id = fields["id"]?.string,
            let patient = fields["patient"]?.string, case .integer(let version)? = fields["version"]
        else { return nil }
        let lastUpdated = fields["lastUpdated"]?.string ?? ""
        var resource: FHIRValue = .object([
            "resourceType": .string(type), "id": .string(id),
            "meta": .object(["versionId": .string(String(version)), "lastUpdated": .string(lastUpdated)]),
            "status": fields["status"] ?? .string("unknown"),
            "subject": .object(["reference": .string("Patient/\(patient)")]),
        ])
        for element in ["code", "type", "category", "identifier"] {
            if let value = fields["element.\(element)"] { resource[element] = value }
        }
        return Summary(
            resource: resource, location: "\(type)/\(id)/_history/\(version)", version: UInt32(version),
            patient: patient, identifiers: (fields["identifiers"]?.array ?? []).compactMap(\.string),
            category: fields["category"]?.string ?? "", status: fields["status"]?.string ?? "",
            lastUpdated: lastUpdated)
    }
}
