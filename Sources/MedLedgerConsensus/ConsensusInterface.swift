import MedLedgerCore

/// Timeouts that grow with the round (Tendermint: timeout(r) = base + r * delta), so that
/// after GST some round lasts long enough for an honest proposer to be heard.
public struct TimeoutConfig: Hashable, Sendable {
    public var proposeBaseMilliseconds: UInt64 = 1_000
    public var proposeDeltaMilliseconds: UInt64 = 500
    public var voteBaseMilliseconds: UInt64 = 500
    public var voteDeltaMilliseconds: UInt64 = 250
    public init() {}
    public func duration(_ step: TimeoutStep, round: Round) -> UInt64 {
        switch step {
        case .propose: proposeBaseMilliseconds + UInt64(round.rawValue) * proposeDeltaMilliseconds
        case .prevote, .precommit: voteBaseMilliseconds + UInt64(round.rawValue) * voteDeltaMilliseconds
        }
    }
}

/// Tendermint's step within a round.
public enum ConsensusStep: UInt8, Sendable, Hashable, CanonicalCodable {
    case propose = 1
    case prevote = 2
    case precommit = 3
    case committed = 4
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard let step = ConsensusStep(rawValue: try decoder.readUInt8("step")) else {
            throw CanonicalDecodingError(field: "step", reason: "unknown step")
        }
        self = step
    }
}

/// What a validator must keep on disk to never contradict itself after a crash: where it
/// is, what it is locked on, and the valid value it would re-propose. The driver writes it
/// (durably) whenever the state machine emits `.persist`, before performing later actions.
///
/// `validProof` is the proof-of-lock of the valid value: the prevotes for `validBlock` in
/// `validRound` (more than two thirds of the power). It is kept for liveness, not safety:
/// the lock alone would survive a crash, but if its proof were forgotten and one of its votes
/// came from a Byzantine validator that told no one else, no honest validator could ever show
/// the others that polka, they could never accept the re-proposal (line 28), and the locked
/// validator could never unlock: the height would stall forever.
public struct PersistentConsensusState: Hashable, Sendable, CanonicalCodable {
    public var height: Height
    public var round: Round
    public var step: ConsensusStep
    public var lockedRound: Round?
    public var lockedBlock: Hash256?
    public var validRound: Round?
    public var validBlock: Hash256?
    public var validProof: [SignedVote]

    public init(
        height: Height, round: Round = 0, step: ConsensusStep = .propose, lockedRound: Round? = nil,
        lockedBlock: Hash256? = nil, validRound: Round? = nil, validBlock: Hash256? = nil,
        validProof: [SignedVote] = []
    ) {
        self.height = height
        self.round = round
        self.step = step
        self.lockedRound = lockedRound
        self.lockedBlock = lockedBlock
        self.validRound = validRound
        self.validBlock = validBlock
        self.validProof = validProof
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(height)
        encoder.write(round)
        encoder.write(step)
        encoder.write(optional: lockedRound)
        encoder.write(optional: lockedBlock)
        encoder.write(optional: validRound)
        encoder.write(optional: validBlock)
        encoder.write(array: validProof)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        try self.init(from: &decoder, withProof: true)
    }

    /// `withProof: false` reads the layout written before `validProof` existed (its proof is
    /// empty: the lock holds, only the liveness help is missing).
    public init(from decoder: inout CanonicalDecoder, withProof: Bool) throws(CanonicalDecodingError) {
        height = try decoder.read(Height.self)
        round = try decoder.read(Round.self)
        step = try decoder.read(ConsensusStep.self)
        lockedRound = try decoder.readOptional(Round.self, "lockedRound")
        lockedBlock = try decoder.readOptional(Hash256.self, "lockedBlock")
        validRound = try decoder.readOptional(Round.self, "validRound")
        validBlock = try decoder.readOptional(Hash256.self, "validBlock")
        // One prevote per validator at most.
        validProof =
            withProof ? try decoder.readArray(SignedVote.self, "validProof", maxCount: Limits.validatorsMaxCount) : []
    }
}

/// Events into the consensus state machine. Messages arrive already signature-checked by
/// the driver against the validator set (the state machine still ignores messages for other
/// heights and from non-validators).
public enum ConsensusInput: Sendable {
    /// A proposal whose block the driver has and has validated: `blockIsValid` is
    /// Tendermint's valid(v) (the block decodes, links, has the right time and last commit,
    /// and executing it gives the header's roots).
    case proposal(Proposal, blockIsValid: Bool)
    case vote(SignedVote)
    case timeout(ConsensusTimeout)
}

/// What the state machine asks the driver to do, in order.
public enum ConsensusAction: Sendable, Equatable {
    /// Write this state durably before doing anything that follows.
    case persist(PersistentConsensusState)
    /// This validator is the proposer and has no valid value: build a new block for
    /// (height, round), sign a proposal with `validRound` nil, broadcast both, feed the
    /// proposal back as input.
    case proposeNewBlock(height: Height, round: Round)
    /// This validator is the proposer and re-proposes its valid value.
    case reproposeBlock(height: Height, round: Round, validRound: Round, blockHash: Hash256)
    /// Sign (with a time), persist, broadcast and feed back a vote. The driver's signer
    /// refuses to sign anything that conflicts with what it already signed (no double-sign).
    case castVote(type: VoteType, height: Height, round: Round, blockHash: Hash256?)
    case scheduleTimeout(ConsensusTimeout, afterMilliseconds: UInt64)
    /// Decided: 2f + 1 precommits for `blockHash` in `round`. The driver builds the commit
    /// certificate from `precommits`, executes and stores the block, then calls
    /// `startHeight(height + 1)`.
    case decide(height: Height, round: Round, blockHash: Hash256, precommits: [SignedVote])
    /// A validator signed two different votes (or proposals) for the same step: evidence.
    case reportEquivocation(validator: IdentityID, height: Height, round: Round)
}
