import MedLedgerCore
import MedLedgerFHIR
import MedLedgerVault

/// Identifier systems this gateway gives meaning to.
public enum FHIRSystems {
    /// `Patient.identifier` whose value is the patient's ledger identity id (64 hex): how an
    /// EHR tells the gateway which ledger pseudonym one of its MRNs stands for.
    public static let ledgerIdentity = FHIRSystem.identity
}

/// Who a report is about, as the resource names them.
public enum PatientReference: Sendable, Hashable {
    /// `Patient/<ledger identity id>`.
    case ledger(IdentityID)
    /// An identifier of the organization's own (an MRN), resolved through the gateway's store.
    case identifier(system: String, value: String)
}

/// A DiagnosticReport or DocumentReference ready to seal: the resource without `id` and
/// `meta` (the ledger assigns both), and what the ledger and the search index need from it.
public struct PreparedReport: Sendable {
    public var resource: FHIRValue
    public let resourceType: String
    public let patient: PatientReference
    /// The FHIRPath of the subject element, for errors about it.
    public let patientPath: String
    public let category: Code
    public let title: String
    public let effectiveDate: String?
    /// `system|value` of each `identifier`, for conditional creates.
    public let identifiers: [String]
}

/// Maps FHIR input to report plaintext and metadata. Pure: no store, no network.
public enum ReportIntake {
    public static let reportTypes: Set<String> = ["DiagnosticReport", "DocumentReference"]

    /// Checks and maps one DiagnosticReport or DocumentReference; `root` is its FHIRPath in
    /// the request (the type itself, or `Bundle.entry[n].resource`), so errors name the element.
    public static func prepare(_ resource: FHIRValue, root: String? = nil) throws(FHIRProblem) -> PreparedReport {
        guard let type = resource.resourceType else {
            throw FHIRProblem(400, .required, "resourceType is missing", expression: root ?? "resourceType")
        }
        let root = root ?? type
        guard reportTypes.contains(type) else {
            throw FHIRProblem(
                422, .notSupported, "only DiagnosticReport and DocumentReference become reports, not \(type)",
                expression: root)
        }
        guard resource["status"]?.string != nil else {
            throw FHIRProblem(400, .required, "\(type).status is required", expression: "\(root).status")
        }
        if type == "DiagnosticReport", resource["code"]?.object == nil {
            throw FHIRProblem(400, .required, "DiagnosticReport.code is required", expression: "\(root).code")
        }
        if type == "DocumentReference", (resource["content"]?.array ?? []).isEmpty {
            throw FHIRProblem(
                400, .required, "DocumentReference.content needs at least one attachment",
                expression: "\(root).content")
        }
        let patientPath = "\(root).subject"
        let patient = try patientReference(resource["subject"], path: patientPath)
        var sealed = resource
        sealed["id"] = nil
        sealed["meta"] = nil
        return PreparedReport(
            resource: sealed, resourceType: type, patient: patient, patientPath: patientPath,
            category: try category(resource, type: type, root: root), title: title(resource, type: type),
            effectiveDate: effectiveDate(resource, type: type), identifiers: identifiers(resource))
    }

    /// `Patient/<id>` or an identifier; anything else names the element at fault.
    public static func patientReference(_ value: FHIRValue?, path: String) throws(FHIRProblem) -> PatientReference {
        guard let value else {
            throw FHIRProblem(
                400, .required, "a report needs a subject (Patient/<ledger id> or a patient identifier)",
                expression: path)
        }
        if let reference = value["reference"]?.string {
            guard reference.hasPrefix("Patient/"), let id = IdentityID(hex: String(reference.dropFirst(8))) else {
                throw FHIRProblem(
                    422, .value,
                    "\(reference) is not a Patient/<64-hex ledger id>; give the patient's identifier instead, or POST the Patient with its \(FHIRSystems.ledgerIdentity) identifier first",
                    expression: "\(path).reference")
            }
            return .ledger(id)
        }
        if let system = value["identifier"]?["system"]?.string,
            let identifierValue = value["identifier"]?["value"]?.string
        {
            if system == FHIRSystems.ledgerIdentity {
                guard let id = IdentityID(hex: identifierValue) else {
                    throw FHIRProblem(422, .value, "not a 64-hex ledger id", expression: "\(path).identifier.value")
                }
                return .ledger(id)
            }
            return .identifier(system: system, value: identifierValue)
        }
        throw FHIRProblem(
            400, .required, "the subject needs a reference or an identifier with system and value", expression: path)
    }

    /// The ledger's category code: the first coding of the first category (DocumentReference
    /// falls back to its type); LAB for a DiagnosticReport and DOC for a document without one.
    static func category(_ resource: FHIRValue, type: String, root: String) throws(FHIRProblem) -> Code {
        let candidates: [(FHIRValue?, String)] = [
            (resource["category"]?[0]?["coding"]?[0]?["code"], "\(root).category[0].coding[0].code"),
            (
                type == "DocumentReference" ? resource["type"]?["coding"]?[0]?["code"] : nil,
                "\(root).type.coding[0].code"
            ),
        ]
        for (value, path) in candidates {
            guard let text = value?.string else { continue }
            guard let code = Code(text) else {
                throw FHIRProblem(
                    422, .value, "\(text) cannot be a ledger category (1-64 printable ASCII characters, no spaces)",
                    expression: path)
            }
            return code
        }
        return Code(type == "DiagnosticReport" ? "LAB" : "DOC")!
    }

    static func title(_ resource: FHIRValue, type: String) -> String {
        let candidates: [String?] =
            type == "DiagnosticReport"
            ? [resource["code"]?["text"]?.string, resource["code"]?["coding"]?[0]?["display"]?.string]
            : [
                resource["description"]?.string, resource["type"]?["text"]?.string,
                resource["type"]?["coding"]?[0]?["display"]?.string,
            ]
        let title = candidates.compactMap { $0 }.first ?? type
        return truncated(title, to: ReportMetadata.titleMaxBytes)
    }

    static func effectiveDate(_ resource: FHIRValue, type: String) -> String? {
        let candidates: [String?] =
            type == "DiagnosticReport"
            ? [
                resource["effectiveDateTime"]?.string, resource["effectivePeriod"]?["start"]?.string,
                resource["issued"]?.string,
            ]
            : [resource["date"]?.string]
        return candidates.compactMap { $0 }.first.map { truncated($0, to: ReportMetadata.effectiveDateMaxBytes) }
    }

    static func identifiers(_ resource: FHIRValue) -> [String] {
        (resource["identifier"]?.array ?? []).compactMap { identifier in
            guard let system = identifier["system"]?.string, let value = identifier["value"]?.string else { return nil }
            return "\(system)|\(value)"
        }
    }

    /// At most `limit` UTF-8 bytes, cut at a character boundary.
    static func truncated(_ text: String, to limit: Int) -> String {
        var result = ""
        for character in text {
            guard result.utf8.count + String(character).utf8.count <= limit else { break }
            result.append(character)
        }
        return result
    }
}
