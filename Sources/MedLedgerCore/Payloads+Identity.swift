/// An organization admin registers a practitioner of that organization with roles.
public struct RegisterPractitioner: Hashable, Sendable, CanonicalCodable {
    public let organization: IdentityID
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey
    public let roles: [Role]  // sorted, no duplicates (checked by the contract)

    public init(
        organization: IdentityID, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey, roles: [Role]
    ) {
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
/// A registration by an admin carries the patient's `KeyProof`; a self-registration's own
/// signature already proves the signing key, so its proof may be absent.
public struct RegisterPatient: Hashable, Sendable, CanonicalCodable {
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey
    public let keyProof: Signature?

    public init(signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey, keyProof: Signature? = nil) {
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.keyProof = keyProof
    }
    /// The registration of `keys`' holder, with its key proof.
    public init(keys: IdentityKeys) {
        self.init(
            signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey, keyProof: KeyProof.make(keys))
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(signingKey)
        encoder.write(encryptionKey)
        encoder.write(optional: keyProof)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
        keyProof = try decoder.readOptional(Signature.self, "keyProof")
    }
}

/// An identity replaces its own keys; its id stays the same. The new signing key proves,
/// with a `KeyProof`, that its holder chose the new encryption key.
public struct RotateKeys: Hashable, Sendable, CanonicalCodable {
    public let newSigningKey: PublicSigningKey
    public let newEncryptionKey: PublicEncryptionKey
    public let keyProof: Signature

    public init(newSigningKey: PublicSigningKey, newEncryptionKey: PublicEncryptionKey, keyProof: Signature) {
        self.newSigningKey = newSigningKey
        self.newEncryptionKey = newEncryptionKey
        self.keyProof = keyProof
    }
    /// A rotation to `newKeys`, with its key proof.
    public init(newKeys: IdentityKeys) {
        self.init(
            newSigningKey: newKeys.publicSigningKey, newEncryptionKey: newKeys.publicEncryptionKey,
            keyProof: KeyProof.make(newKeys))
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(newSigningKey)
        encoder.write(newEncryptionKey)
        encoder.write(keyProof)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        newSigningKey = try decoder.read(PublicSigningKey.self)
        newEncryptionKey = try decoder.read(PublicEncryptionKey.self)
        keyProof = try decoder.read(Signature.self)
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
