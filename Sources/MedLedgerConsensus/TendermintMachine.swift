import MedLedgerCore

/// Tendermint consensus for one height, as Algorithm 1 of Buchman, Kwon and Milosevic,
/// "The latest gossip on BFT consensus" (2018), written as a pure state machine.
///
/// The machine has no clock, no I/O and no randomness: the driver feeds it inputs
/// (signature-checked proposals and votes, and the timeouts it asked for) and performs
/// the actions it returns, in order. Messages for rounds ahead of the current one are kept
/// and count as soon as their round starts. One machine decides one height; the driver
/// makes a new machine for the next height after `.decide`.
///
/// Proposer rotation: validators sorted by id, proposer(h, r) = index (h + r) mod n. Voting
/// power weights quorums but not the rotation (a weighted rotation is future work).
public struct TendermintMachine: Sendable {
    public let chainID: String
    public let validators: ValidatorSet
    /// This validator, or nil for a node that only follows (never proposes or votes).
    public let me: IdentityID?
    public let height: Height
    public let timeouts: TimeoutConfig

    /// round_p, step_p, locked/valid value and round, decision_p of Algorithm 1.
    public internal(set) var round: Round = 0
    public internal(set) var step: ConsensusStep = .propose
    public internal(set) var lockedRound: Round?
    public internal(set) var lockedBlock: Hash256?
    public internal(set) var validRound: Round?
    public internal(set) var validBlock: Hash256?
    /// The prevotes for validBlock in validRound (its proof-of-lock), kept and persisted with
    /// it: drivers re-send them so that peers can accept a re-proposal of the valid value
    /// (line 28) even when this validator is the only honest one that saw that polka.
    public internal(set) var validProof: [SignedVote] = []
    public internal(set) var decision: Hash256?

    let powers: [IdentityID: UInt64]
    let restoring: PersistentConsensusState?
    var proposals = ProposalBook()
    var prevotes: [Round: VoteSet] = [:]
    var precommits: [Round: VoteSet] = [:]
    /// Validators heard from in each round (any message), for the f + 1 round skip.
    var senders: [Round: Set<IdentityID>] = [:]
    /// The "for the first time" guards of lines 34, 36 and 47, per round.
    var prevoteTimeoutScheduled: Set<Round> = []
    var polkaSeen: Set<Round> = []
    var precommitTimeoutScheduled: Set<Round> = []
    var reportedEquivocations: Set<EquivocationKey> = []
    var lastPersisted: PersistentConsensusState?
    var started = false
    /// Actions collected while one input is handled.
    var pending: [ConsensusAction] = []

    /// A machine for `height`. `restoring` is the state last persisted by this validator;
    /// it is used only when it is for this height (after a crash mid-height), so a driver
    /// may pass whatever it has on disk.
    public init(
        chainID: String, validators: ValidatorSet, me: IdentityID?, height: Height,
        timeouts: TimeoutConfig, restoring: PersistentConsensusState? = nil
    ) {
        precondition(height >= 1, "consensus runs for blocks 1, 2, ...")
        precondition(me.map { validators.member($0) != nil } ?? true, "me must be a validator")
        self.chainID = chainID
        self.validators = validators
        self.me = me
        self.height = height
        self.timeouts = timeouts
        self.restoring = restoring?.height == height ? restoring : nil
        var powers = [IdentityID: UInt64]()
        for validator in validators.validators { powers[validator.id] = validator.power }
        self.powers = powers
    }

    /// The state the driver must keep durably (see `ConsensusAction.persist`).
    public var persistentState: PersistentConsensusState {
        PersistentConsensusState(
            height: height, round: round, step: step, lockedRound: lockedRound,
            lockedBlock: lockedBlock, validRound: validRound, validBlock: validBlock,
            validProof: validProof)
    }

    /// proposer(h, r): validators sorted by id, index (h + r) mod n.
    public func proposer(round: Round) -> IdentityID {
        Self.proposer(validators: validators, height: height, round: round)
    }

    /// proposer(h, r) without a machine (drivers and tests).
    public static func proposer(validators: ValidatorSet, height: Height, round: Round) -> IdentityID {
        let count = UInt64(validators.validators.count)
        let index = (height.rawValue % count + UInt64(round.rawValue) % count) % count
        return validators.validators[Int(index)].id
    }

    /// Starts the height: StartRound(0), or, when restoring, resumes the persisted round and
    /// step (never going back, so no vote can contradict one sent before the crash).
    public mutating func start() -> [ConsensusAction] {
        precondition(!started, "start() is called once")
        started = true
        pending = []
        if let restored = restoring {
            resume(restored)
        } else {
            startRound(0)
        }
        applyRules()
        return finishStep()
    }

    /// Handles one input and returns the actions to perform, in order.
    public mutating func handle(_ input: ConsensusInput) -> [ConsensusAction] {
        precondition(started, "start() before handle(_:)")
        pending = []
        switch input {
        case .proposal(let proposal, let blockIsValid): receive(proposal, blockIsValid: blockIsValid)
        case .vote(let vote): receive(vote)
        case .timeout(let timeout): onTimeout(timeout)
        }
        applyRules()
        return finishStep()
    }

    /// Persists what changed, checks the invariants and hands the actions over.
    mutating func finishStep() -> [ConsensusAction] {
        flushPersist()
        checkInvariants()
        let actions = pending
        pending = []
        return actions
    }

    /// Invariants of Algorithm 1 that must hold between inputs.
    func checkInvariants() {
        precondition((lockedRound == nil) == (lockedBlock == nil), "lock round and value go together")
        precondition((validRound == nil) == (validBlock == nil), "valid round and value go together")
        precondition(
            validProof.allSatisfy {
                $0.vote.type == .prevote && $0.vote.round == validRound && $0.vote.blockHash == validBlock
            }, "the proof is the prevotes for the valid value in the valid round")
        precondition(lockedRound.map { $0 <= round } ?? true, "lockedRound <= round")
        precondition(validRound.map { $0 <= round } ?? true, "validRound <= round")
        // Line 36 sets valid with lock, and only valid moves on alone, so valid >= locked.
        precondition(
            lockedRound.map { locked in validRound.map { $0 >= locked } ?? false } ?? true,
            "validRound >= lockedRound")
        precondition(
            (decision != nil) == (step == .committed) || (decision == nil && restoring?.step == .committed),
            "committed exactly when decided")
    }
}

/// One equivocation report per (validator, round, message kind).
struct EquivocationKey: Hashable, Sendable {
    let validator: IdentityID
    let round: Round
    /// 0 proposal, 1 prevote, 2 precommit.
    let kind: UInt8
}
