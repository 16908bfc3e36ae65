import MedLedgerCore

/// Code systems, identifier systems and extension URLs. MedLedger's own are URNs under
/// `urn:medledger:`; the rest are HL7's.
public enum FHIRSystem {
    /// Identifier system of ledger identity ids (hex SHA-256 of the signing key).
    public static let identity = "urn:medledger:identity"
    /// Identifier system of report ids.
    public static let report = "urn:medledger:report"
    /// Identifier system of grant ids.
    public static let grant = "urn:medledger:grant"
    /// Identifier system of transaction hashes.
    public static let transaction = "urn:medledger:transaction"
    /// Code system of report categories that are not LOINC codes.
    public static let category = "urn:medledger:category"
    /// Code system of ledger roles (PractitionerRole.code).
    public static let role = "urn:medledger:role"
    /// Code system of ledger actions (Provenance.activity): report actions and grant changes.
    public static let ledgerAction = "urn:medledger:action"
    /// Code system of change reasons (revisions, withdrawals).
    public static let changeReason = "urn:medledger:change-reason"
    public static let loinc = "http://loinc.org"
    public static let actReason = "http://terminology.hl7.org/CodeSystem/v3-ActReason"
    public static let actCode = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    public static let participationType = "http://terminology.hl7.org/CodeSystem/v3-ParticipationType"
    public static let consentScope = "http://terminology.hl7.org/CodeSystem/consentscope"
    public static let auditEventType = "http://terminology.hl7.org/CodeSystem/audit-event-type"
    public static let restfulInteraction = "http://hl7.org/fhir/restful-interaction"
    public static let auditEntityType = "http://terminology.hl7.org/CodeSystem/audit-entity-type"
    public static let objectRole = "http://terminology.hl7.org/CodeSystem/object-role"
    public static let provenanceParticipantType = "http://terminology.hl7.org/CodeSystem/provenance-participant-type"
    public static let dataOperation = "http://terminology.hl7.org/CodeSystem/v3-DataOperation"
    public static let signatureType = "urn:iso-astm:E1762-95:2013"
    public static let organizationType = "http://terminology.hl7.org/CodeSystem/organization-type"

    /// A category as a Coding: LOINC when it looks like a LOINC code or part (`LP7789-9`,
    /// `11502-2`), else MedLedger's own system.
    public static func categoryCoding(_ code: Code) -> Coding {
        let value = code.value
        let isPart = value.hasPrefix("LP") || value.hasPrefix("LA") || value.hasPrefix("LL")
        let body = isPart ? value.dropFirst(2) : Substring(value)
        let parts = body.split(separator: "-", omittingEmptySubsequences: false)
        let looksLOINC =
            parts.count == 2 && !parts[0].isEmpty && parts[1].count == 1
            && parts.allSatisfy { $0.allSatisfy { $0.isASCII && $0.isNumber } }
        return Coding(system: looksLOINC ? loinc : category, code: value)
    }
}

/// MedLedger's extensions.
public enum FHIRExtensionURL {
    /// The SHA-256 (hex) of the ciphertext an Attachment points at: R4's `Attachment.hash`
    /// is SHA-1 by definition, so the ledger's SHA-256 content address cannot go there.
    public static let contentSHA256 = "urn:medledger:fhir:extension:content-sha256"
    /// The SHA-256 commitment over a secret salt and the plaintext (hex).
    public static let contentCommitment = "urn:medledger:fhir:extension:content-commitment"
    /// The earlier version a report version replaces (a versioned Reference).
    public static let replaces = "urn:medledger:fhir:extension:replaces"
    /// Why a version replaced the previous one, or was withdrawn.
    public static let changeReason = "urn:medledger:fhir:extension:change-reason"
    /// When a grant was revoked (block time).
    public static let revokedAt = "urn:medledger:fhir:extension:revoked-at"
    /// How a grant came to be: consent (signed by the patient or a guardian) or distribution.
    public static let grantOrigin = "urn:medledger:fhir:extension:grant-origin"
    /// The block height a transaction was committed in.
    public static let blockHeight = "urn:medledger:fhir:extension:block-height"
    /// The hash of the transaction behind a resource (hex).
    public static let transaction = "urn:medledger:fhir:extension:transaction"
}
