import MedLedgerFHIR

/// What the facade serves, in one table: the CapabilityStatement is written from it and the
/// search handlers refuse every parameter it does not list.
struct FHIRResourceSpec: Sendable {
    struct Parameter: Sendable {
        let name: String
        /// token | reference | date
        let type: String
        let documentation: String
    }
    let type: String
    let parameters: [Parameter]
    let includes: [String]
    /// Served with versions (`_history/{vid}`), as report versions are.
    let versioned: Bool
    let documentation: String

    var parameterNames: Set<String> { Set(parameters.map(\.name)) }
}

enum FHIRCapabilities {
    static let patientParameter = FHIRResourceSpec.Parameter(
        name: "patient", type: "reference", documentation: "required: Patient/ID or ID")
    static let subject = FHIRResourceSpec.Parameter(
        name: "subject", type: "reference", documentation: "the same as patient (Patient/ID)")
    static let category = FHIRResourceSpec.Parameter(
        name: "category", type: "token", documentation: "the report category (code or system|code)")
    static let id = FHIRResourceSpec.Parameter(name: "_id", type: "token", documentation: "the ledger id")
    static let identifier = FHIRResourceSpec.Parameter(
        name: "identifier", type: "token", documentation: "\(FHIRSystem.identity)|ID or ID")

    static func registry(_ type: String, _ documentation: String) -> FHIRResourceSpec {
        FHIRResourceSpec(
            type: type, parameters: [id, identifier], includes: [], versioned: false, documentation: documentation)
    }

    static let resources: [FHIRResourceSpec] = [
        registry(
            "Patient", "Pseudonymous: the ledger id as the only identifier, no name. A search needs _id or identifier."),
        registry("Practitioner", "The ledger id as identifier. A search needs _id or identifier."),
        registry("Organization", "The ledger id as identifier. A search needs _id or identifier."),
        FHIRResourceSpec(
            type: "PractitionerRole",
            parameters: [
                .init(name: "practitioner", type: "reference", documentation: "Practitioner/ID or ID"),
                .init(
                    name: "organization", type: "reference",
                    documentation:
                        "Organization/ID: its practitioners, for who oversees it (its key, privacy officers, admins)"),
                id,
            ],
            includes: [], versioned: false,
            documentation:
                "A practitioner's organization and ledger roles (id: the practitioner's). A search needs practitioner, "
                + "organization or _id."),
        FHIRResourceSpec(
            type: "DiagnosticReport",
            parameters: [
                patientParameter, subject, category,
                .init(name: "status", type: "token", documentation: "the version's status"),
                .init(name: "date", type: "date", documentation: "issued: the block time of release (or submission)"),
            ],
            includes: ["DiagnosticReport:subject", "DiagnosticReport:performer"], versioned: true,
            documentation: "Report metadata; presentedForm points at the ciphertext (SHA-256 in an extension)."),
        FHIRResourceSpec(
            type: "DocumentReference",
            parameters: [
                patientParameter, subject, category,
                .init(name: "status", type: "token", documentation: "current | superseded | entered-in-error"),
                .init(name: "date", type: "date", documentation: "the block time the version was submitted"),
            ],
            includes: ["DocumentReference:subject", "DocumentReference:author"], versioned: true,
            documentation: "The report's encrypted document: the ciphertext's URL, size and SHA-256."),
        FHIRResourceSpec(
            type: "Consent",
            parameters: [
                patientParameter, .init(name: "status", type: "token", documentation: "active | inactive"),
                .init(name: "date", type: "date", documentation: "when the grant was made (block time)"),
            ],
            includes: [], versioned: false, documentation: "Grants: scope, purpose, period, revocation."),
        FHIRResourceSpec(
            type: "AuditEvent",
            parameters: [
                .init(
                    name: "patient", type: "reference", documentation: "Patient/ID or ID (this or agent is required)"),
                .init(
                    name: "agent", type: "reference",
                    documentation:
                        "Organization/ID: the reads by its practitioners, for its privacy officers, admins and key "
                        + "(others see only their own reads in it)"),
                .init(name: "date", type: "date", documentation: "the block time of the access"),
                .init(name: "outcome", type: "token", documentation: "0 (allowed) | 4 (denied)"),
            ],
            includes: [], versioned: false, documentation: "Every access receipt, allowed and denied."),
        FHIRResourceSpec(
            type: "Provenance",
            parameters: [
                patientParameter,
                .init(name: "target", type: "reference", documentation: "DiagnosticReport/ID (instead of patient)"),
            ],
            includes: [], versioned: false,
            documentation: "Who signed which transaction on a report, in which block (id: the transaction hash)."),
    ]

    static func spec(_ type: String) -> FHIRResourceSpec? { resources.first { $0.type == type } }

    static func statement(date: String, baseURL: String) -> CapabilityStatement {
        var statement = CapabilityStatement(
            status: "active", date: date, kind: "instance", fhirVersion: "4.0.1",
            format: ["json", "application/fhir+json"])
        statement.name = "MedLedgerFHIRFacade"
        statement.title = "MedLedger node FHIR R4 facade"
        statement.publisher = "MedLedger"
        statement.description =
            "Read-only FHIR R4 view of what the ledger knows: who, what, when, status, consent, audit. "
            + "Report contents are end-to-end encrypted; attachments point at the ciphertext."
        statement.software = .init(name: "MedLedger")
        statement.implementation = .init(
            description: "MedLedger node: permissioned ledger of encrypted medical reports", url: baseURL + "/fhir")
        var rest = CapabilityStatement.Rest(mode: "server")
        rest.documentation =
            "Search results page with _count (1-100, default 20) and absolute next links; Bundle.total counts the "
            + "matches (not _include'd resources). Unsupported parameters are refused with 400 and an "
            + "OperationOutcome. Errors are OperationOutcomes."
        rest.security = .init(
            cors: true,
            service: [
                CodeableConcept(
                    system: "http://terminology.hl7.org/CodeSystem/restful-security-service", code: "SMART-on-FHIR")
            ],
            description:
                "Bearer tokens from POST \(baseURL)/fhir/auth/token (SMART Backend Services: client_credentials with "
                + "a private_key_jwt client assertion signed by the identity's Ed25519 key, alg EdDSA). "
                + "Each identity sees what the ledger lets it see.")
        rest.resource = resources.map { spec in
            var resource = CapabilityStatement.Resource(type: spec.type)
            resource.documentation = spec.documentation
            resource.interaction = (spec.versioned ? ["read", "vread", "search-type"] : ["read", "search-type"]).map {
                CapabilityStatement.Interaction(code: $0)
            }
            resource.versioning = spec.versioned ? "versioned" : "no-version"
            resource.readHistory = spec.versioned
            resource.updateCreate = false
            resource.conditionalCreate = false
            resource.conditionalUpdate = false
            resource.conditionalDelete = "not-supported"
            resource.searchInclude = spec.includes.isEmpty ? nil : spec.includes
            resource.searchParam = spec.parameters.map {
                CapabilityStatement.SearchParam(name: $0.name, type: $0.type, documentation: $0.documentation)
            }
            return resource
        }
        statement.rest = [rest]
        return statement
    }
}
