import MedLedgerCore

/// A proposer's signed claim: "at (height, round) I propose the block with this hash".
/// `validRound` is Tendermint's polka round of a re-proposed value (nil = fresh value).
public struct Proposal: Hashable, Sendable, CanonicalCodable {
    public static let domainTag = "medledger/proposal/v1"
    public let chainID: String
    public let height: Height
    public let round: Round
    public let validRound: Round?
    public let blockHash: Hash256
    public let proposer: IdentityID
    public let signature: Signature

    public init(
        chainID: String, height: Height, round: Round, validRound: Round?, blockHash: Hash256,
        proposer: IdentityID, signature: Signature
    ) {
        self.chainID = chainID
        self.height = height
        self.round = round
        self.validRound = validRound
        self.blockHash = blockHash
        self.proposer = proposer
        self.signature = signature
    }

    /// Signs a proposal.
    public init(
        chainID: String, height: Height, round: Round, validRound: Round?, blockHash: Hash256,
        keys: IdentityKeys
    ) {
        let bytes = Proposal.signingBytes(
            chainID: chainID, height: height, round: round, validRound: validRound,
            blockHash: blockHash)
        self.init(
            chainID: chainID, height: height, round: round, validRound: validRound, blockHash: blockHash,
            proposer: keys.identityID, signature: keys.sign(bytes))
    }

    public static func signingBytes(
        chainID: String, height: Height, round: Round, validRound: Round?,
        blockHash: Hash256
    ) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(domainTag)
        encoder.write(chainID)
        encoder.write(height)
        encoder.write(round)
        encoder.write(optional: validRound)
        encoder.write(blockHash)
        return encoder.bytes
    }

    public var signingBytes: [UInt8] {
        Proposal.signingBytes(
            chainID: chainID, height: height, round: round, validRound: validRound, blockHash: blockHash)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(fixed: signingBytes)
        encoder.write(proposer)
        encoder.write(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readString("domainTag", maxBytes: 32) == Self.domainTag else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected \(Self.domainTag)")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        height = try decoder.read(Height.self)
        round = try decoder.read(Round.self)
        validRound = try decoder.readOptional(Round.self, "validRound")
        blockHash = try decoder.read(Hash256.self)
        proposer = try decoder.read(IdentityID.self)
        signature = try decoder.read(Signature.self)
    }
}

/// A vote with its signer and signature.
public struct SignedVote: Hashable, Sendable, CanonicalCodable {
    public let vote: Vote
    public let validator: IdentityID
    public let signature: Signature

    public init(vote: Vote, validator: IdentityID, signature: Signature) {
        self.vote = vote
        self.validator = validator
        self.signature = signature
    }

    public init(vote: Vote, keys: IdentityKeys) {
        self.init(vote: vote, validator: keys.identityID, signature: keys.sign(vote.canonicalBytes))
    }

    /// True when the signature verifies with the validator's key.
    public func verifies(with key: PublicSigningKey) -> Bool {
        key.isValidSignature(signature, for: vote.canonicalBytes)
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(vote)
        encoder.write(validator)
        encoder.write(signature)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        vote = try decoder.read(Vote.self)
        validator = try decoder.read(IdentityID.self)
        signature = try decoder.read(Signature.self)
    }
}

/// Which step a timeout belongs to.
public enum TimeoutStep: UInt8, Sendable, Hashable {
    case propose = 1
    case prevote = 2
    case precommit = 3
}

/// A timeout the driver scheduled on the state machine's request and feeds back when due.
public struct ConsensusTimeout: Hashable, Sendable {
    public let step: TimeoutStep
    public let height: Height
    public let round: Round
    public init(step: TimeoutStep, height: Height, round: Round) {
        self.step = step
        self.height = height
        self.round = round
    }
}
