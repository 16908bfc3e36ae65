import Foundation
import MedLedgerCore

/// `POST /fhir` with a transaction Bundle: Patient entries file their identifiers, every
/// other referenced resource is contained in the report that references it, `urn:uuid:`
/// references to Patients become `Patient/<ledger id>`, and each report is submitted.
///
/// Everything is checked before the first report is submitted, so a bad entry refuses the
/// whole bundle. The ledger has no multi-report transaction: if the node fails midway, the
/// reports already committed stay, and resending the bundle with `ifNoneExist` on its
/// entries does not duplicate them.
extension FHIRGatewayService {
    public func transaction(_ bundle: FHIRValue) async throws -> FHIRValue {
        var plan = try TransactionPlan(bundle)
        var patientURLs: [String: IdentityID] = [:]
        var responses = [FHIRValue?](repeating: nil, count: plan.count)
        for entry in plan.patients {
            let patient = try registerPatient(entry.resource, root: entry.path)
            guard let hex = patient["id"]?.string, let id = IdentityID(hex: hex) else { continue }
            if let url = entry.fullUrl { patientURLs[url] = id }
            responses[entry.index] = Self.response("200 OK", location: "Patient/\(hex)", version: nil)
        }
        var prepared: [(TransactionPlan.Entry, PreparedReport)] = []
        for position in plan.reports.indices {
            var entry = plan.reports[position]
            entry.resource = entry.resource.mapStrings { patientURLs[$0].map { "Patient/\($0.hex)" } ?? $0 }
            if let dangling = entry.resource.firstString(withPrefix: "urn:uuid:") {
                throw FHIRProblem(
                    422, .notFound, "\(dangling) is not the fullUrl of any entry in the bundle",
                    expression: entry.path)
            }
            if let ifNoneExist = entry.ifNoneExist {
                _ = try Self.condition(ifNoneExist, type: entry.resource.resourceType ?? "")
            }
            let report = try ReportIntake.prepare(entry.resource, root: entry.path)
            _ = try resolve(report.patient, path: report.patientPath)
            plan.reports[position] = entry
            prepared.append((entry, report))
        }
        for (entry, report) in prepared {
            let result: WriteResult
            if let ifNoneExist = entry.ifNoneExist {
                result = try await create(entry.resource, ifNoneExist: ifNoneExist)
            } else {
                result = try await submit(report)
            }
            responses[entry.index] = Self.response(
                result.status == 201 ? "201 Created" : "200 OK", location: result.location, version: result.version)
        }
        for (contained, holder) in plan.containedIn {
            // Contained in the report, so it has no location of its own, and was created
            // (201) or found (200) with it.
            let location = responses[holder]?["response"]?["location"]?.string ?? ""
            let status = responses[holder]?["response"]?["status"]?.string ?? "201 Created"
            responses[contained] = Self.response(status, location: location, version: nil)
        }
        return .object([
            "resourceType": .string("Bundle"), "type": .string("transaction-response"),
            "entry": .array(responses.map { $0 ?? .object([:]) }),
        ])
    }

    static func response(_ status: String, location: String, version: UInt32?) -> FHIRValue {
        var response: [String: FHIRValue] = ["status": .string(status), "location": .string(location)]
        if let version { response["etag"] = .string("W/\"\(version)\"") }
        return .object(["response": .object(response)])
    }
}
