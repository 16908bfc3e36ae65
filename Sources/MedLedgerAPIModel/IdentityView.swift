import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Identity {
    /// `GET /v1/identities/{id}`: an identity's public record. Guardians are left out: they
    /// would tell anyone who looks after whom.
    public init(_ record: IdentityRecord) {
        self.init(
            id: record.id.hex, kind: KindPayload(rawValue: record.kind.name) ?? .node,
            organization: record.organization?.hex, roles: record.roles.map(\.name),
            status: record.status == .active ? .active : .suspended, signingKey: record.signingKey.hex,
            encryptionKey: record.encryptionKey.hex, lastNonce: Int(ledger: record.lastNonce.rawValue),
            registeredAt: Int(ledger: record.registeredAt.rawValue))
    }
}
