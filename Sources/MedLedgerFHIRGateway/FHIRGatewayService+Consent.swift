import Foundation
import MedLedgerCore

/// `POST Consent` grants, `DELETE Consent/{id}` revokes. The ledger only accepts these from
/// the patient or a guardian, so a gateway run with an organization's key gets the ledger's
/// refusal (403); a patient's or guardian's gateway (or app) can grant.
///
/// Mapping: `patient` → the grant's patient; `provision.actor[0].reference` (Practitioner/
/// or Organization/<ledger id>) → grantee; `provision.purpose[0].code` (v3 PurposeOfUse
/// TREAT, ETREAT, HRESCH, HPAYMT, HLEGAL, or the ledger's names) → purpose, default
/// treatment; `provision.period.end` → valid until; `provision.data[].reference`
/// (DiagnosticReport/<id>) → those reports, else `provision.class[].code` → categories,
/// else all reports. The Consent's id is the grant id.
extension FHIRGatewayService {
    static let purposeCodes: [String: Purpose] = [
        "TREAT": .treatment, "ETREAT": .emergency, "HRESCH": .research, "HPAYMT": .payment, "HLEGAL": .legal,
    ]

    public func createConsent(_ resource: FHIRValue) async throws -> FHIRValue {
        guard resource.resourceType == "Consent" else {
            throw FHIRProblem(400, .invalid, "expected a Consent", expression: "resourceType")
        }
        let patient = try resolve(
            try ReportIntake.patientReference(resource["patient"], path: "Consent.patient"), path: "Consent.patient")
        guard let actor = resource["provision"]?["actor"]?[0]?["reference"]?["reference"]?.string else {
            throw FHIRProblem(
                400, .required,
                "who is granted access: provision.actor[0].reference (Practitioner/ or Organization/<ledger id>)",
                expression: "Consent.provision.actor[0].reference")
        }
        let parts = actor.split(separator: "/").map(String.init)
        guard parts.count == 2, ["Practitioner", "Organization", "PractitionerRole"].contains(parts[0]),
            let grantee = IdentityID(hex: parts[1])
        else {
            throw FHIRProblem(
                422, .value, "\(actor) is not Practitioner/ or Organization/<64-hex ledger id>",
                expression: "Consent.provision.actor[0].reference.reference")
        }
        let purposeText = resource["provision"]?["purpose"]?[0]?["code"]?.string
        let purpose =
            try purposeText.map { text throws(FHIRProblem) in
                guard let purpose = Self.purposeCodes[text] ?? Purpose(name: text) else {
                    throw FHIRProblem(
                        422, .value, "unknown purpose \(text); use TREAT, ETREAT, HRESCH, HPAYMT or HLEGAL",
                        expression: "Consent.provision.purpose[0].code")
                }
                return purpose
            } ?? .treatment
        var validUntil: ConsensusTime?
        if let end = resource["provision"]?["period"]?["end"]?.string {
            guard let milliseconds = ISO8601.parse(end) else {
                throw FHIRProblem(
                    422, .value, "period.end must be an ISO 8601 date-time in UTC",
                    expression: "Consent.provision.period.end")
            }
            validUntil = ConsensusTime(milliseconds: milliseconds)
        }
        let scope = try Self.scope(resource)
        let grant = try await locks.holding(Self.writerLock) {
            try await client.grant(
                patient: patient, to: grantee, scope: scope, purpose: purpose, validUntil: validUntil)
        }
        var stored = resource
        stored["id"] = .string(grant.hex)
        stored["status"] = .string("active")
        return stored
    }

    static func scope(_ resource: FHIRValue) throws(FHIRProblem) -> GrantScope {
        let data = resource["provision"]?["data"]?.array ?? []
        if !data.isEmpty {
            var reports: [ReportID] = []
            for (index, item) in data.enumerated() {
                let reference = item["reference"]?["reference"]?.string ?? ""
                let parts = reference.split(separator: "/").map(String.init)
                guard parts.count == 2, ReportIntake.reportTypes.contains(parts[0]), let id = ReportID(hex: parts[1])
                else {
                    throw FHIRProblem(
                        422, .value, "\(reference) is not DiagnosticReport/ or DocumentReference/<report id>",
                        expression: "Consent.provision.data[\(index)].reference")
                }
                reports.append(id)
            }
            return .reports(reports)
        }
        let classes = (resource["provision"]?["class"]?.array ?? []).compactMap { $0["code"]?.string }
        if !classes.isEmpty {
            var codes: [Code] = []
            for (index, text) in classes.enumerated() {
                guard let code = Code(text) else {
                    throw FHIRProblem(
                        422, .value, "\(text) is not a category code",
                        expression: "Consent.provision.class[\(index)].code")
                }
                codes.append(code)
            }
            return .categories(codes)
        }
        return .allReports
    }

    public func deleteConsent(id: String) async throws {
        guard let grant = GrantID(hex: id) else {
            throw FHIRProblem(404, .notFound, "Consent/\(id) is not a grant id", expression: "id")
        }
        try await locks.holding(Self.writerLock) { try await client.revoke(grant) }
    }
}
