import Foundation
import MedLedgerCore
import MedLedgerConsensus
import MedLedgerStorage

/// The validator's signer and its memory on disk. It signs a vote only if it never signed a
/// different one for the same (height, round, type), and it writes what it signs — with the
/// consensus state — durably *before* the vote leaves the node. After a crash it reloads
/// that record, so a restarted validator can never double-sign.
///
/// A new consensus state on its own is written with the next vote or proposal, or by
/// `flush`, whichever comes first; the driver flushes at the end of every step. The state
/// machine usually hands over a state and then a vote, and writing each took two fsyncs
/// and a rename: about five replaced files per height under load, now about three. Nothing
/// leaves the node in between, so what a peer can see was always written first, and a crash
/// before the write is a crash before the step.
struct PrivateValidator {
    struct SignedStep: Hashable, CanonicalCodable {
        let type: VoteType
        let height: Height
        let round: Round
        let blockHash: Hash256?
        func encode(to encoder: inout CanonicalEncoder) {
            encoder.write(type)
            encoder.write(height)
            encoder.write(round)
            encoder.write(optional: blockHash)
        }
        init(type: VoteType, height: Height, round: Round, blockHash: Hash256?) {
            self.type = type
            self.height = height
            self.round = round
            self.blockHash = blockHash
        }
        init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
            type = try decoder.read(VoteType.self)
            height = try decoder.read(Height.self)
            round = try decoder.read(Round.self)
            blockHash = try decoder.readOptional(Hash256.self, "blockHash")
        }
    }

    static let maxRemembered = Limits.privateValidatorStepsMax
    /// First byte of the file since the consensus state carries its proof-of-lock (2), and
    /// the signed votes themselves (3). Older files start with the state's optional tag (0 or
    /// 1) and are still read, as is version 2 (with no votes to re-send).
    static let formatVersion: UInt8 = 3
    static let formatWithoutVotes: UInt8 = 2
    /// Far above the largest record the limits allow (64 steps, proposals and votes, and a
    /// proof of lock of at most `Limits.validatorsMaxCount` prevotes): a record over it is a bug.
    static let maxRecordBytes = 1 << 20
    let keys: IdentityKeys
    let file: URL
    /// Written in place, one of two slots per write (see `AlternatingSlotFile`).
    private var record: AlternatingSlotFile
    private(set) var consensusState: PersistentConsensusState?
    /// What was signed at the current height (older heights are forgotten on commit).
    private(set) var signed: [SignedStep] = []

    /// Proposals this validator made at the current height (the `type` field is unused).
    private(set) var proposed: [SignedStep] = []

    /// The votes signed at the current height, as sent. A restarted driver re-sends them:
    /// a peer that missed a vote sent before the crash (lost, or cut off by a partition)
    /// would otherwise never get it, and if that peer needs it for a quorum of the round
    /// (line 34 or 47) while we, restored past that step, send nothing new, the height can
    /// stall forever (simulation seed 20030, chaos, found it).
    private(set) var votes: [SignedVote] = []

    /// Set when the consensus state changed since the file was last written.
    private(set) var hasUnwrittenState = false

    init(keys: IdentityKeys, file: URL) throws {
        self.keys = keys
        self.file = file
        let bytes: [UInt8]
        do {
            record = try AlternatingSlotFile(url: file, maxRecordBytes: Self.maxRecordBytes)
            switch record.contents {
            case .absent: return
            case .record(let newest): bytes = newest
            case .other(let whole): bytes = whole  // a file from before the slots: the same encoding
            }
        } catch {
            throw NodeError(.internalFailure, field: "consensus-state.bin", "cannot read \(file.path): \(error)")
        }
        do {
            var decoder = CanonicalDecoder(bytes)
            let (state, withVotes) = try Self.readState(&decoder)
            consensusState = state
            signed = try decoder.readArray(SignedStep.self, "signed", maxCount: Self.maxRemembered)
            proposed = try decoder.readArray(SignedStep.self, "proposed", maxCount: Self.maxRemembered)
            if withVotes { votes = try decoder.readArray(SignedVote.self, "votes", maxCount: Self.maxRemembered) }
            try decoder.finish()
        } catch {
            throw NodeError(.internalFailure, field: "consensus-state.bin", "cannot read \(file.path): \(error)")
        }
    }

    /// The consensus state, from the current layout or an older one, and whether the file
    /// goes on with the signed votes.
    private static func readState(_ decoder: inout CanonicalDecoder) throws(CanonicalDecodingError)
        -> (PersistentConsensusState?, withVotes: Bool)
    {
        let tag = try decoder.readUInt8("format")
        switch tag {
        case formatVersion: return (try decoder.readOptional(PersistentConsensusState.self, "state"), true)
        case formatWithoutVotes: return (try decoder.readOptional(PersistentConsensusState.self, "state"), false)
        case 0: return (nil, false)
        case 1: return (try PersistentConsensusState(from: &decoder, withProof: false), false)
        default: throw CanonicalDecodingError(field: "format", reason: "unknown consensus-state format \(tag)")
        }
    }

    /// Takes the state machine's state; it reaches the disk with the next vote or proposal,
    /// or at `flush`.
    mutating func persist(_ state: PersistentConsensusState) {
        consensusState = state
        signed.removeAll { $0.height < state.height }
        proposed.removeAll { $0.height < state.height }
        votes.removeAll { $0.vote.height < state.height }
        hasUnwrittenState = true
    }

    /// Writes the state taken since the last write, if any.
    mutating func flush() throws {
        guard hasUnwrittenState else { return }
        try write()
    }

    /// Signs the vote unless it conflicts with one already signed; persists before returning.
    mutating func sign(_ vote: Vote) throws -> SignedVote? {
        let step = SignedStep(type: vote.type, height: vote.height, round: vote.round, blockHash: vote.blockHash)
        if let earlier = signed.first(where: {
            $0.type == step.type && $0.height == step.height && $0.round == step.round
        }) {
            guard earlier.blockHash == step.blockHash else { return nil }
            return SignedVote(vote: vote, keys: keys)
        }
        let signedVote = SignedVote(vote: vote, keys: keys)
        signed.append(step)
        if signed.count > Self.maxRemembered { signed.removeFirst(signed.count - Self.maxRemembered) }
        votes.append(signedVote)
        if votes.count > Self.maxRemembered { votes.removeFirst(votes.count - Self.maxRemembered) }
        try write()
        precondition(votes.count <= Self.maxRemembered && signed.count <= Self.maxRemembered, "bounded memory")
        return signedVote
    }

    /// Records a proposal for (height, round) durably before it is sent; refuses a second,
    /// different block for a round already proposed in (after a crash, say).
    mutating func recordProposal(height: Height, round: Round, blockHash: Hash256) throws -> Bool {
        if let earlier = proposed.first(where: { $0.height == height && $0.round == round }) {
            return earlier.blockHash == blockHash
        }
        proposed.append(SignedStep(type: .prevote, height: height, round: round, blockHash: blockHash))
        if proposed.count > Self.maxRemembered { proposed.removeFirst(proposed.count - Self.maxRemembered) }
        try write()
        return true
    }

    private mutating func write() throws {
        var encoder = CanonicalEncoder()
        encoder.write(Self.formatVersion)
        encoder.write(optional: consensusState)
        encoder.write(array: signed)
        encoder.write(array: proposed)
        encoder.write(array: votes)
        // Atomic and durable: a crash leaves the old record or the new, never half.
        do {
            try record.write(encoder.bytes)
        } catch {
            throw NodeError(.internalFailure, field: "consensus-state.bin", "cannot write \(file.path): \(error)")
        }
        hasUnwrittenState = false
    }
}
