/// A FHIR resource type this package models. `resourceType` is a stored element so that the
/// synthesized coding writes and checks it; `AnyResource` dispatches on it.
public protocol FHIRResource: Codable, Hashable, Sendable {
    static var resourceType: String { get }
    var resourceType: String { get }
    var id: String? { get set }
    var meta: Meta? { get set }
}

extension FHIRResource {
    /// `Type/id`, the relative reference to this resource (nil without an id).
    public var relativeReference: String? { id.map { "\(Self.resourceType)/\($0)" } }
}

/// Patient: on the ledger, a pseudonym. The node fills only the identifier and `active`; the
/// name and birth date exist for a gateway's own, local use.
public struct Patient: FHIRResource {
    public static let resourceType: String = "Patient"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var active: Bool?
    public var name: [HumanName]?
    public var gender: String?
    public var birthDate: String?
    public var generalPractitioner: [Reference]?
    public var managingOrganization: Reference?
    public init(id: String? = nil) { self.id = id }
}

public struct Practitioner: FHIRResource {
    public static let resourceType: String = "Practitioner"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var active: Bool?
    public var name: [HumanName]?
    public init(id: String? = nil) { self.id = id }
}

/// PractitionerRole: a practitioner's organization and ledger roles.
public struct PractitionerRole: FHIRResource {
    public static let resourceType: String = "PractitionerRole"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var identifier: [Identifier]?
    public var active: Bool?
    public var practitioner: Reference?
    public var organization: Reference?
    public var code: [CodeableConcept]?
    public init(id: String? = nil) { self.id = id }
}

public struct Organization: FHIRResource {
    public static let resourceType: String = "Organization"
    public var resourceType: String = Self.resourceType
    public var id: String?
    public var meta: Meta?
    public var `extension`: [Extension]?
    public var identifier: [Identifier]?
    public var active: Bool?
    public var type: [CodeableConcept]?
    public var name: String?
    public var partOf: Reference?
    public init(id: String? = nil) { self.id = id }
}
