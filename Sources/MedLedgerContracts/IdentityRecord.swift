import MedLedgerCore

/// An identity as the ledger state holds it. Its proof is public, so it holds nothing about
/// whom the identity relates to: a patient's guardians live in their own entry
/// (`GuardiansRecord`).
public struct IdentityRecord: Hashable, Sendable, CanonicalCodable {
    public let id: IdentityID
    public let kind: IdentityKind
    public var signingKey: PublicSigningKey
    public var encryptionKey: PublicEncryptionKey
    /// The organization a practitioner belongs to; nil for organizations, patients and nodes.
    public let organization: IdentityID?
    public var roles: [Role]
    public var status: IdentityStatus
    /// The highest nonce this identity has used; the next transaction must exceed it.
    public var lastNonce: Nonce
    public let registeredAt: Height

    public init(
        id: IdentityID, kind: IdentityKind, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey,
        organization: IdentityID?, roles: [Role], status: IdentityStatus = .active, lastNonce: Nonce = 0,
        registeredAt: Height
    ) {
        self.id = id
        self.kind = kind
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.organization = organization
        self.roles = roles
        self.status = status
        self.lastNonce = lastNonce
        self.registeredAt = registeredAt
    }

    public func has(_ role: Role) -> Bool { roles.contains(role) }
    public var isActive: Bool { status == .active }

    /// The organization whose lists and events this identity answers for: an organization's
    /// own key answers for itself, a practitioner with `privacy-officer` or `admin` for its
    /// organization; nil for everyone else. Status is the caller's to check.
    public var overseenOrganization: IdentityID? {
        switch kind {
        case .organization: id
        case .practitioner where has(.privacyOfficer) || has(.admin): organization
        default: nil
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(id)
        encoder.write(kind)
        encoder.write(signingKey)
        encoder.write(encryptionKey)
        encoder.write(optional: organization)
        encoder.write(array: roles)
        encoder.write(status)
        encoder.write(lastNonce)
        encoder.write(registeredAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        id = try decoder.read(IdentityID.self)
        kind = try decoder.read(IdentityKind.self)
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
        organization = try decoder.readOptional(IdentityID.self, "organization")
        roles = try decoder.readArray(Role.self, "roles", maxCount: Limits.rolesMaxCount)
        status = try decoder.read(IdentityStatus.self)
        lastNonce = try decoder.read(Nonce.self)
        registeredAt = try decoder.read(Height.self)
    }
}
