/// A validator: a node identity with voting power and a custodian encryption key.
public struct Validator: Hashable, Sendable, Codable, CanonicalCodable {
    public let name: String
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey
    public let power: UInt64

    public init(name: String, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey, power: UInt64) {
        self.name = name
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
        self.power = power
    }
    public var id: IdentityID { IdentityID(signingKey: signingKey) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(name)
        encoder.write(signingKey)
        encoder.write(encryptionKey)
        encoder.write(power)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        name = try decoder.readString("name", maxBytes: Limits.nameMaxBytes)
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
        power = try decoder.readUInt64("power")
    }
}

/// The validators, sorted by id, so the set and its hash are the same on every node.
public struct ValidatorSet: Hashable, Sendable {
    public let validators: [Validator]
    public let totalPower: UInt64
    public let hash: Hash256

    public init(_ validators: [Validator]) {
        precondition(
            !validators.isEmpty && validators.count <= Limits.validatorsMaxCount,
            "1...\(Limits.validatorsMaxCount) validators")
        self.validators = validators.sorted { $0.id < $1.id }
        self.totalPower = validators.reduce(0) { $0 + $1.power }
        var encoder = CanonicalEncoder()
        encoder.write(array: self.validators)
        self.hash = Hash256.of(encoder.bytes)
        precondition(totalPower > 0, "validators need voting power")
    }

    public func member(_ id: IdentityID) -> Validator? { validators.first { $0.id == id } }
}
