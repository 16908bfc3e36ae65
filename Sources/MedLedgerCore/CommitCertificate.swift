/// A validator's precommit for a block: the bytes a validator signs to finalize it.
public struct Precommit: Hashable, Sendable, CanonicalCodable {
    public static let domainTag = "medledger/precommit/v1"
    public let chainID: String
    public let height: Height
    public let round: UInt32
    public let blockHash: Hash256

    public init(chainID: String, height: Height, round: UInt32, blockHash: Hash256) {
        self.chainID = chainID
        self.height = height
        self.round = round
        self.blockHash = blockHash
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.domainTag)
        encoder.write(chainID)
        encoder.write(height)
        encoder.write(round)
        encoder.write(blockHash)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readString("domainTag", maxBytes: 32) == Self.domainTag else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected \(Self.domainTag)")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        height = try decoder.readUInt64("height")
        round = try decoder.readUInt32("round")
        blockHash = try decoder.read(Hash256.self)
    }
}

/// One validator's signature in a commit certificate.
public struct CommitSignature: Hashable, Sendable, CanonicalCodable {
    public let validator: IdentityID
    public let signature: Signature
    public init(validator: IdentityID, signature: Signature) {
        self.validator = validator
        self.signature = signature
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(validator)
        encoder.write(signature)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        validator = try decoder.read(IdentityID.self)
        signature = try decoder.read(Signature.self)
    }
}

/// Proof that more than two thirds of the validators' voting power precommitted a block.
/// The same format serves one validator (this step) and n = 3f + 1 (consensus step).
public struct CommitCertificate: Hashable, Sendable, CanonicalCodable {
    public let height: Height
    public let round: UInt32
    public let blockHash: Hash256
    /// Sorted by validator id, one per validator.
    public let signatures: [CommitSignature]

    public init(height: Height, round: UInt32, blockHash: Hash256, signatures: [CommitSignature]) {
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.signatures = signatures.sorted { $0.validator < $1.validator }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(height)
        encoder.write(round)
        encoder.write(blockHash)
        encoder.write(array: signatures)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        height = try decoder.readUInt64("height")
        round = try decoder.readUInt32("round")
        blockHash = try decoder.read(Hash256.self)
        signatures = try decoder.readArray(CommitSignature.self, "signatures", maxCount: Limits.validatorsMaxCount)
    }

    /// Why a certificate does not finalize a block, or nil when it does.
    public func problem(chainID: String, header: BlockHeader, validators: ValidatorSet) -> String? {
        guard header.chainID == chainID else { return "block is for chain \(header.chainID), not \(chainID)" }
        guard height == header.height else { return "certificate height \(height) is not block height \(header.height)" }
        guard blockHash == header.hash else { return "certificate names block \(blockHash), not \(header.hash)" }
        let precommit = Precommit(chainID: chainID, height: height, round: round, blockHash: blockHash).canonicalBytes
        var seen = Set<IdentityID>()
        var power: UInt64 = 0
        for entry in signatures {
            guard seen.insert(entry.validator).inserted else { return "validator \(entry.validator) signed twice" }
            guard let validator = validators.member(entry.validator) else { return "signer \(entry.validator) is not a validator" }
            guard validator.signingKey.isValidSignature(entry.signature, for: precommit) else {
                return "bad signature from validator \(entry.validator)"
            }
            power += validator.power
        }
        guard power * 3 > validators.totalPower * 2 else {
            return "signed power \(power) of \(validators.totalPower) is not more than two thirds"
        }
        return nil
    }
}
