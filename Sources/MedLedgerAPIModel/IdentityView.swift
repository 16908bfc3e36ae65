import MedLedgerCore
import MedLedgerContracts

/// `GET /v1/identities/{id}`: an identity's public record. Guardians are left out: they
/// would tell anyone who looks after whom.
public struct IdentityView: Codable, Sendable {
    public let id: String
    public let kind: String
    public let organization: String?
    public let roles: [String]
    public let status: String
    public let signingKey: String
    public let encryptionKey: String
    public let lastNonce: UInt64
    public let registeredAt: UInt64

    public init(_ record: IdentityRecord) {
        id = record.id.hex
        kind = record.kind.name
        organization = record.organization?.hex
        roles = record.roles.map(\.name)
        status = record.status.name
        signingKey = record.signingKey.hex
        encryptionKey = record.encryptionKey.hex
        lastNonce = record.lastNonce.rawValue
        registeredAt = record.registeredAt.rawValue
    }
}
