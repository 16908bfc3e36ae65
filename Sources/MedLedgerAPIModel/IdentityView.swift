import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Identity {
    /// `GET /v1/identities/{id}`: an identity's public record. Guardians are left out: they
    /// would tell anyone who looks after whom.
    public init(_ record: IdentityRecord) {
        self.init(
            id: record.id.hex, kind: KindPayload(record.kind),
            organization: record.organization?.hex, roles: record.roles.map(\.name),
            status: record.status == .active ? .active : .suspended, signingKey: record.signingKey.hex,
            encryptionKey: record.encryptionKey.hex, lastNonce: Int(ledger: record.lastNonce.rawValue),
            registeredAt: Int(ledger: record.registeredAt.rawValue))
    }
}

extension Components.Schemas.Identity.KindPayload {
    init(_ kind: IdentityKind) {
        switch kind {
        case .organization: self = .organization
        case .practitioner: self = .practitioner
        case .patient: self = .patient
        case .node: self = .node
        }
    }
}
