/// An organization admin registers a practitioner of that organization with roles.
public struct RegisterPractitioner: Hashable, Sendable, CanonicalCodable {
    public let organization: IdentityID
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey
    public let roles: [Role]  // sorted, no duplicates (checked by the contract)

    public init(organization: IdentityID, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey, roles: [Role]) {
        self.organization = organization
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.roles = roles
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(organization)
        encoder.write(signingKey)
        encoder.write(encryptionKey)
        encoder.write(array: roles)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        organization = try decoder.read(IdentityID.self)
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
        roles = try decoder.readArray(Role.self, "roles", maxCount: Limits.rolesMaxCount)
    }
}

/// A patient registers (signed by the patient's own new key), or an organization admin
/// registers a patient whose keys were made at the front desk. Identity proofing is off-chain.
public struct RegisterPatient: Hashable, Sendable, CanonicalCodable {
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey

    public init(signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey) {
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(signingKey)
        encoder.write(encryptionKey)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
    }
}

/// An identity replaces its own keys; its id stays the same.
public struct RotateKeys: Hashable, Sendable, CanonicalCodable {
    public let newSigningKey: PublicSigningKey
    public let newEncryptionKey: PublicEncryptionKey

    public init(newSigningKey: PublicSigningKey, newEncryptionKey: PublicEncryptionKey) {
        self.newSigningKey = newSigningKey
        self.newEncryptionKey = newEncryptionKey
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(newSigningKey)
        encoder.write(newEncryptionKey)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        newSigningKey = try decoder.read(PublicSigningKey.self)
        newEncryptionKey = try decoder.read(PublicEncryptionKey.self)
    }
}

/// An organization admin suspends (or reinstates) one of the organization's practitioners.
public struct SetIdentityStatus: Hashable, Sendable, CanonicalCodable {
    public let target: IdentityID
    public let status: IdentityStatus

    public init(target: IdentityID, status: IdentityStatus) {
        self.target = target
        self.status = status
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(target)
        encoder.write(status)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        target = try decoder.read(IdentityID.self)
        status = try decoder.read(IdentityStatus.self)
    }
}

/// A patient names (or removes) a guardian who may grant and revoke on the patient's behalf.
public struct SetGuardian: Hashable, Sendable, CanonicalCodable {
    public let guardian: IdentityID
    public let isGuardian: Bool

    public init(guardian: IdentityID, isGuardian: Bool) {
        self.guardian = guardian
        self.isGuardian = isGuardian
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(guardian)
        encoder.write(isGuardian)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guardian = try decoder.read(IdentityID.self)
        isGuardian = try decoder.readBool("isGuardian")
    }
}
