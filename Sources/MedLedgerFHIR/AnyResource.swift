/// Any resource this package models, coded by its `resourceType`: a Bundle entry, a
/// contained resource, or a request body whose type is not known in advance.
public enum AnyResource: Codable, Hashable, Sendable {
    case patient(Patient)
    case practitioner(Practitioner)
    case practitionerRole(PractitionerRole)
    case organization(Organization)
    case diagnosticReport(DiagnosticReport)
    case documentReference(DocumentReference)
    case observation(Observation)
    case consent(Consent)
    case auditEvent(AuditEvent)
    case provenance(Provenance)
    case bundle(Bundle)
    case operationOutcome(OperationOutcome)
    case capabilityStatement(CapabilityStatement)

    /// The resource types this package decodes.
    public static let supportedTypes = [
        Patient.resourceType, Practitioner.resourceType, PractitionerRole.resourceType, Organization.resourceType,
        DiagnosticReport.resourceType, DocumentReference.resourceType, Observation.resourceType,
        Consent.resourceType, AuditEvent.resourceType, Provenance.resourceType, Bundle.resourceType,
        OperationOutcome.resourceType, CapabilityStatement.resourceType,
    ]

    public init(_ resource: any FHIRResource) {
        switch resource {
        case let value as Patient: self = .patient(value)
        case let value as Practitioner: self = .practitioner(value)
        case let value as PractitionerRole: self = .practitionerRole(value)
        case let value as Organization: self = .organization(value)
        case let value as DiagnosticReport: self = .diagnosticReport(value)
        case let value as DocumentReference: self = .documentReference(value)
        case let value as Observation: self = .observation(value)
        case let value as Consent: self = .consent(value)
        case let value as AuditEvent: self = .auditEvent(value)
        case let value as Provenance: self = .provenance(value)
        case let value as Bundle: self = .bundle(value)
        case let value as OperationOutcome: self = .operationOutcome(value)
        case let value as CapabilityStatement: self = .capabilityStatement(value)
        default: preconditionFailure("\(type(of: resource)) is a FHIRResource without an AnyResource case")
        }
    }

    /// The wrapped resource.
    public var resource: any FHIRResource {
        switch self {
        case .patient(let value): value
        case .practitioner(let value): value
        case .practitionerRole(let value): value
        case .organization(let value): value
        case .diagnosticReport(let value): value
        case .documentReference(let value): value
        case .observation(let value): value
        case .consent(let value): value
        case .auditEvent(let value): value
        case .provenance(let value): value
        case .bundle(let value): value
        case .operationOutcome(let value): value
        case .capabilityStatement(let value): value
        }
    }

    public var resourceType: String { resource.resourceType }
    public var id: String? { resource.id }

    private enum TypeKey: String, CodingKey { case resourceType }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: TypeKey.self)
        let type = try container.decode(String.self, forKey: .resourceType)
        switch type {
        case Patient.resourceType: self = .patient(try Patient(from: decoder))
        case Practitioner.resourceType: self = .practitioner(try Practitioner(from: decoder))
        case PractitionerRole.resourceType: self = .practitionerRole(try PractitionerRole(from: decoder))
        case Organization.resourceType: self = .organization(try Organization(from: decoder))
        case DiagnosticReport.resourceType: self = .diagnosticReport(try DiagnosticReport(from: decoder))
        case DocumentReference.resourceType: self = .documentReference(try DocumentReference(from: decoder))
        case Observation.resourceType: self = .observation(try Observation(from: decoder))
        case Consent.resourceType: self = .consent(try Consent(from: decoder))
        case AuditEvent.resourceType: self = .auditEvent(try AuditEvent(from: decoder))
        case Provenance.resourceType: self = .provenance(try Provenance(from: decoder))
        case Bundle.resourceType: self = .bundle(try Bundle(from: decoder))
        case OperationOutcome.resourceType: self = .operationOutcome(try OperationOutcome(from: decoder))
        case CapabilityStatement.resourceType: self = .capabilityStatement(try CapabilityStatement(from: decoder))
        default:
            throw DecodingError.dataCorruptedError(
                forKey: .resourceType, in: container,
                debugDescription: "resourceType \(type) is not supported (supported: "
                    + Self.supportedTypes.joined(separator: ", ") + ")")
        }
    }

    public func encode(to encoder: any Encoder) throws { try resource.encode(to: encoder) }
}
