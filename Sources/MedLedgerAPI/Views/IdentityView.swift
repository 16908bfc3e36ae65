import MedLedgerCore
import MedLedgerContracts

/// `GET /v1/identities/{id}`: an identity's public record. Guardians are left out: they
/// would tell anyone who looks after whom.
struct IdentityView: Encodable {
    let id: String
    let kind: String
    let organization: String?
    let roles: [String]
    let status: String
    let signingKey: String
    let encryptionKey: String
    let lastNonce: UInt64
    let registeredAt: UInt64

    init(_ record: IdentityRecord) {
        id = record.id.hex
        kind = record.kind.name
        organization = record.organization?.hex
        roles = record.roles.map(\.name)
        status = record.status.name
        signingKey = record.signingKey.hex
        encryptionKey = record.encryptionKey.hex
        lastNonce = record.lastNonce
        registeredAt = record.registeredAt
    }
}
