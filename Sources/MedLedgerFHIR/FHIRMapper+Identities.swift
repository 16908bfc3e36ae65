import MedLedgerContracts
import MedLedgerCore

extension FHIRMapper {
    /// The identity as the resource of its kind; nil for nodes.
    public func resource(for identity: IdentityRecord) -> AnyResource? {
        switch identity.kind {
        case .patient: .patient(patient(identity))
        case .practitioner: .practitioner(practitioner(identity))
        case .organization: .organization(organization(identity))
        case .node: nil
        }
    }

    /// A pseudonymous Patient: the ledger id as its only identifier, no name, no birth date.
    public func patient(_ identity: IdentityRecord) -> Patient {
        var patient = Patient(id: identity.id.hex)
        patient.identifier = [Self.identifier(identity.id)]
        patient.active = identity.isActive
        return patient
    }

    public func practitioner(_ identity: IdentityRecord) -> Practitioner {
        var practitioner = Practitioner(id: identity.id.hex)
        practitioner.identifier = [Self.identifier(identity.id)]
        practitioner.active = identity.isActive
        return practitioner
    }

    public func organization(_ identity: IdentityRecord) -> Organization {
        var organization = Organization(id: identity.id.hex)
        organization.identifier = [Self.identifier(identity.id)]
        organization.active = identity.isActive
        return organization
    }

    /// A practitioner's organization and ledger roles; nil for other kinds.
    public func practitionerRole(_ identity: IdentityRecord) -> PractitionerRole? {
        guard identity.kind == .practitioner, let organization = identity.organization else { return nil }
        var role = PractitionerRole(id: identity.id.hex)
        role.identifier = [Self.identifier(identity.id)]
        role.active = identity.isActive
        role.practitioner = Reference(reference: "Practitioner/\(identity.id.hex)")
        role.organization = Reference(reference: "Organization/\(organization.hex)")
        role.code = identity.roles.map { CodeableConcept(system: FHIRSystem.role, code: $0.name) }
        return role
    }
}
