/// The two kinds of vote of Tendermint consensus.
public enum VoteType: UInt8, TaggedEnum {
    case prevote = 1
    case precommit = 2
    public var tag: UInt8 { rawValue }
    public var name: String { self == .prevote ? "prevote" : "precommit" }
    public static let fieldName = "voteType"
}

/// What a validator signs when it votes. `blockHash` nil is a vote for nothing (nil) in the
/// round. `time` is the voter's clock reading: block h + 1's consensus time is the
/// power-weighted median of the times in block h's precommits, so no single clock decides.
public struct Vote: Hashable, Sendable, CanonicalCodable {
    public static let domainTag = "medledger/vote/v1"
    public let type: VoteType
    public let chainID: String
    public let height: Height
    public let round: Round
    public let blockHash: Hash256?
    public let time: ConsensusTime

    public init(type: VoteType, chainID: String, height: Height, round: Round, blockHash: Hash256?, time: ConsensusTime)
    {
        self.type = type
        self.chainID = chainID
        self.height = height
        self.round = round
        self.blockHash = blockHash
        self.time = time
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.domainTag)
        encoder.write(type)
        encoder.write(chainID)
        encoder.write(height)
        encoder.write(round)
        encoder.write(optional: blockHash)
        encoder.write(time)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readString("domainTag", maxBytes: 32) == Self.domainTag else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected \(Self.domainTag)")
        }
        type = try decoder.read(VoteType.self)
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        height = try decoder.read(Height.self)
        round = try decoder.read(Round.self)
        blockHash = try decoder.readOptional(Hash256.self, "blockHash")
        time = try decoder.read(ConsensusTime.self)
    }
}

/// A precommit for a block: the vote a commit certificate is made of.
public enum Precommit {
    public static func vote(chainID: String, height: Height, round: Round, blockHash: Hash256, time: ConsensusTime)
        -> Vote
    {
        Vote(type: .precommit, chainID: chainID, height: height, round: round, blockHash: blockHash, time: time)
    }
}

/// One validator's signature in a commit certificate.
public struct CommitSignature: Hashable, Sendable, CanonicalCodable {
    public let validator: IdentityID
    /// The time in the validator's precommit (signed).
    public let time: ConsensusTime
    public let signature: Signature
    public init(validator: IdentityID, time: ConsensusTime, signature: Signature) {
        self.validator = validator
        self.time = time
        self.signature = signature
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(validator)
        encoder.write(time)
        encoder.write(signature)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        validator = try decoder.read(IdentityID.self)
        time = try decoder.read(ConsensusTime.self)
        signature = try decoder.read(Signature.self)
    }
}

/// Proof that more than two thirds of the validators' voting power precommitted a block.
/// The same format serves one validator (this step) and n = 3f + 1 (consensus step).
public struct CommitCertificate: Hashable, Sendable, CanonicalCodable {
    public let height: Height
    public let round: Round
    public let blockHash: Hash256
    /// Sorted by validator id, one per validator.
    public let signatures: [CommitSignature]

    public init(height: Height, round: Round, blockHash: Hash256, signatures: [CommitSignature]) {
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
        height = try decoder.read(Height.self)
        round = try decoder.read(Round.self)
        blockHash = try decoder.read(Hash256.self)
        signatures = try decoder.readArray(CommitSignature.self, "signatures", maxCount: Limits.validatorsMaxCount)
    }

    /// Why a certificate does not finalize a block, or nil when it does.
    /// - Parameter checked: a certificate of the same decision (height, round and block) that
    ///   the caller verified before, such as a node's own of its latest block. A signature
    ///   entry identical to one of its entries signs the same bytes with the same key, so it
    ///   is not verified again; every other rule still applies to it.
    public func problem(
        chainID: String, header: BlockHeader, validators: ValidatorSet, checked: CommitCertificate? = nil
    ) -> String? {
        guard header.chainID == chainID else { return "block is for chain \(header.chainID), not \(chainID)" }
        guard height == header.height else {
            return "certificate height \(height) is not block height \(header.height)"
        }
        guard blockHash == header.hash else { return "certificate names block \(blockHash), not \(header.hash)" }
        let known: [CommitSignature] =
            if let checked, checked.height == height, checked.round == round, checked.blockHash == blockHash {
                checked.signatures
            } else {
                []
            }
        // One canonical order (ascending validator id, each once), so one decision cannot be
        // re-encoded into many certificates with distinct hashes.
        var previous: IdentityID?
        var power: UInt64 = 0
        for entry in signatures {
            if let previous, !(previous < entry.validator) {
                return previous == entry.validator
                    ? "validator \(entry.validator) signed twice"
                    : "signatures are not sorted by validator id"
            }
            previous = entry.validator
            guard let validator = validators.member(entry.validator) else {
                return "signer \(entry.validator) is not a validator"
            }
            if !known.contains(entry) {
                let precommit = Precommit.vote(
                    chainID: chainID, height: height, round: round, blockHash: blockHash,
                    time: entry.time
                ).canonicalBytes
                guard validator.signingKey.isValidSignature(entry.signature, for: precommit) else {
                    return "bad signature from validator \(entry.validator)"
                }
            }
            power += validator.power
        }
        guard power * 3 > validators.totalPower * 2 else {
            return "signed power \(power) of \(validators.totalPower) is not more than two thirds"
        }
        return nil
    }

    /// The consensus time of the next block: the power-weighted median of the precommit
    /// times (the time at which more than half of the signing power had voted). A minority
    /// of validators, however wrong their clocks, cannot move it outside the honest range.
    public func medianTime(validators: ValidatorSet) -> ConsensusTime {
        precondition(!signatures.isEmpty, "a certificate has signatures")
        let weighted = signatures.compactMap { entry in
            validators.member(entry.validator).map { (entry.time, $0.power) }
        }
        .sorted { $0.0 < $1.0 }
        let total = weighted.reduce(UInt64(0)) { $0 + $1.1 }
        var cumulative: UInt64 = 0
        for (time, power) in weighted {
            cumulative += power
            if cumulative * 2 > total { return time }
        }
        return weighted[weighted.count - 1].0
    }

    /// The certificate's hash, committed to by the next block's header.
    public var hash: Hash256 { Hash256.of(canonicalBytes) }
}
