import Foundation

/// A founding organization of the consortium, with the key its admin signs with.
public struct GenesisOrganization: Hashable, Sendable, Codable, CanonicalCodable {
    public let name: String
    public let signingKey: PublicSigningKey
    public let encryptionKey: PublicEncryptionKey

    public init(name: String, signingKey: PublicSigningKey, encryptionKey: PublicEncryptionKey) {
        self.name = name
        self.signingKey = signingKey
        self.encryptionKey = encryptionKey
    }
    public var id: IdentityID { IdentityID(signingKey: signingKey) }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(name)
        encoder.write(signingKey)
        encoder.write(encryptionKey)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        name = try decoder.readString("name", maxBytes: Limits.nameMaxBytes)
        signingKey = try decoder.read(PublicSigningKey.self)
        encryptionKey = try decoder.read(PublicEncryptionKey.self)
    }
}

/// The chain's starting point: its id, its first time, its validators and founding
/// organizations. Every node of a network holds the same genesis; its hash is the
/// "previous block hash" of block 1, so two chains with different genesis never mix.
public struct Genesis: Hashable, Sendable, CanonicalCodable {
    public let chainID: String
    public let genesisTime: ConsensusTime
    public let validators: [Validator]
    public let organizations: [GenesisOrganization]
    /// How many custodians' key shares rebuild a report key (k of n = every validator).
    /// Any k − 1 custodians together learn nothing; k must answer for a read to open.
    public let custodyThreshold: UInt8
    /// Blob replication and residency; nil (older genesis files) means every validator holds
    /// every blob. Encoded after everything else and only when present, so a genesis without
    /// it keeps its hash.
    public let storage: GenesisStorage?

    /// `custodyThreshold` defaults to `defaultCustodyThreshold(validators:)`.
    public init(
        chainID: String, genesisTime: ConsensusTime, validators: [Validator], organizations: [GenesisOrganization],
        custodyThreshold: UInt8? = nil,
        storage: GenesisStorage? = nil
    ) {
        self.chainID = chainID
        self.genesisTime = genesisTime
        self.validators = validators
        self.organizations = organizations
        self.storage = storage
        self.custodyThreshold = custodyThreshold ?? Self.defaultCustodyThreshold(validators: validators.count)
    }

    /// n − f, where f = ⌊(n − 1) / 3⌋ is how many validators consensus lets fail: 2f + 1 of
    /// n = 3f + 1, and 1 of 1 on a single node. Reads survive f custodians down, and up to
    /// n − f − 1 colluding custodians cannot open a report.
    public static func defaultCustodyThreshold(validators count: Int) -> UInt8 {
        UInt8(clamping: count - (max(count, 1) - 1) / 3)
    }

    public var hash: Hash256 { Hash256.of(canonicalBytes) }
    public var validatorSet: ValidatorSet { ValidatorSet(validators) }

    /// Why this genesis cannot start a chain, or nil when it can.
    public func problem() -> String? {
        if chainID.isEmpty || chainID.utf8.count > Limits.chainIDMaxBytes
            || !chainID.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e })
        {
            return "chainId: must be 1-\(Limits.chainIDMaxBytes) printable ASCII characters"
        }
        if validators.isEmpty || validators.count > Limits.validatorsMaxCount {
            return "validators: need 1-\(Limits.validatorsMaxCount), found \(validators.count)"
        }
        if validators.contains(where: { $0.power == 0 || $0.power > 1_000_000 }) {
            return "validators.power: each must be 1-1000000"
        }
        if Set(validators.map(\.id)).count != validators.count { return "validators: the same key appears twice" }
        if custodyThreshold < 1 || Int(custodyThreshold) > validators.count {
            return "custodyThreshold: must be 1-\(validators.count) (the number of validators)"
        }
        let orgIDs = organizations.map(\.id)
        if Set(orgIDs).count != orgIDs.count { return "organizations: the same key appears twice" }
        if !Set(orgIDs).isDisjoint(with: validators.map(\.id)) { return "organizations: a key is also a validator key" }
        for org in organizations where org.name.isEmpty || org.name.utf8.count > Limits.nameMaxBytes {
            return "organizations.name: must be 1-\(Limits.nameMaxBytes) bytes"
        }
        for validator in validators where validator.name.isEmpty || validator.name.utf8.count > Limits.nameMaxBytes {
            return "validators.name: must be 1-\(Limits.nameMaxBytes) bytes"
        }
        if let problem = EnvelopeBudget.problem(custodians: validators.map(\.encryptionKey.suite)) { return problem }
        return storage?.problem(validators: validators)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write("medledger/genesis/v1")
        encoder.write(chainID)
        encoder.write(genesisTime)
        encoder.write(array: validators)
        encoder.write(array: organizations)
        encoder.write(custodyThreshold)
        if let storage { encoder.write(storage) }
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readString("domainTag", maxBytes: 32) == "medledger/genesis/v1" else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected medledger/genesis/v1")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        genesisTime = try decoder.read(ConsensusTime.self)
        validators = try decoder.readArray(Validator.self, "validators", maxCount: Limits.validatorsMaxCount)
        organizations = try decoder.readArray(
            GenesisOrganization.self, "organizations", maxCount: Limits.genesisOrganizationsMaxCount)
        custodyThreshold = try decoder.readUInt8("custodyThreshold")
        storage = decoder.remaining > 0 ? try decoder.read(GenesisStorage.self) : nil
    }
}

extension Genesis: Codable {
    enum CodingKeys: String, CodingKey {
        case chainId, genesisTime, validators, organizations, custodyThreshold, storage
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        chainID = try container.decode(String.self, forKey: .chainId)
        let timeText = try container.decode(String.self, forKey: .genesisTime)
        guard let millis = ISO8601.parse(timeText) else {
            throw DecodingError.dataCorruptedError(
                forKey: .genesisTime, in: container,
                debugDescription: "expected YYYY-MM-DDTHH:MM:SS.mmmZ, got \(timeText)")
        }
        genesisTime = ConsensusTime(milliseconds: millis)
        validators = try container.decode([Validator].self, forKey: .validators)
        organizations = try container.decode([GenesisOrganization].self, forKey: .organizations)
        custodyThreshold =
            try container.decodeIfPresent(UInt8.self, forKey: .custodyThreshold)
            ?? Self.defaultCustodyThreshold(validators: validators.count)
        storage = try container.decodeIfPresent(GenesisStorage.self, forKey: .storage)
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(chainID, forKey: .chainId)
        try container.encode(genesisTime.description, forKey: .genesisTime)
        try container.encode(validators, forKey: .validators)
        try container.encode(organizations, forKey: .organizations)
        try container.encode(custodyThreshold, forKey: .custodyThreshold)
        try container.encodeIfPresent(storage, forKey: .storage)
    }

    /// Reads and checks a genesis JSON file.
    public static func load(from url: URL) throws -> Genesis {
        let data = try Data(contentsOf: url)
        let genesis: Genesis
        do {
            genesis = try decode(json: data)
        } catch {
            throw GenesisError(message: "\(url.path): not a valid genesis: \(error)")
        }
        if let problem = genesis.problem() { throw GenesisError(message: "\(url.path): \(problem)") }
        return genesis
    }

    /// Reads genesis JSON without checking it (`load` then asks `problem()`).
    public static func decode(json: Data) throws -> Genesis {
        try JSONDecoder().decode(Genesis.self, from: json)
    }

    public func write(to url: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try encoder.encode(self).write(to: url, options: .atomic)
    }
}

public struct GenesisError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
}
