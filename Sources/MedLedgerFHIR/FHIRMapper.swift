import MedLedgerContracts
import MedLedgerCore

/// The pure mappings from ledger records to FHIR resources. Nothing here reads a clock or a
/// store: the caller passes the records, the node's public base URL (for attachment URLs)
/// and a lookup of identity kinds (to type references as Patient, Practitioner or
/// Organization).
public struct FHIRMapper: Sendable {
    /// The node's public base URL without a trailing slash, e.g. `https://node1:8443`.
    public let baseURL: String
    public let kindOf: @Sendable (IdentityID) -> IdentityKind?

    public init(baseURL: String, kindOf: @escaping @Sendable (IdentityID) -> IdentityKind?) {
        self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
        self.kindOf = kindOf
    }

    /// The FHIR base, `baseURL + "/fhir"`.
    public var fhirBase: String { baseURL + "/fhir" }

    public static func time(_ time: ConsensusTime) -> String { ISO8601.format(milliseconds: time.milliseconds) }

    public static func identifier(_ id: IdentityID) -> Identifier {
        Identifier(system: FHIRSystem.identity, value: id.hex)
    }

    /// The FHIR resource type an identity is served as (nil for nodes, which are not served).
    public static func resourceType(of kind: IdentityKind) -> String? {
        switch kind {
        case .patient: Patient.resourceType
        case .practitioner: Practitioner.resourceType
        case .organization: Organization.resourceType
        case .node: nil
        }
    }

    /// A reference to an identity: `Type/id` when its kind is served, else by identifier.
    public func reference(_ id: IdentityID) -> Reference {
        if let kind = kindOf(id), let type = Self.resourceType(of: kind) {
            return Reference(reference: "\(type)/\(id.hex)")
        }
        return Reference(identifier: Self.identifier(id))
    }

    static func versioned(_ type: String, _ id: String, _ version: ReportVersion) -> Reference {
        Reference(reference: "\(type)/\(id)/_history/\(version.rawValue)")
    }
}
