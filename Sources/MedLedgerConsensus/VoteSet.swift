import MedLedgerCore

/// The votes of one type in one round at one height, with the voting power behind each
/// value. A validator's first vote is its counted vote (it alone makes up `totalPower`, the
/// "2f + 1 of any value" of lines 34 and 47); an identical vote is a duplicate. A different
/// vote is equivocation: reported, and it never adds to `totalPower` nor twice to a value,
/// but it does count for its own value, as in Algorithm 1 (which counts messages received).
/// Without that, an honest validator that first saw an equivocator's other vote could never
/// see a polka that its locked peers saw, and the height could stall forever. Safety is
/// unaffected: two quorums for different values still need f + 1 honest double votes.
struct VoteSet: Sendable {
    enum Outcome: Equatable { case added, duplicate, conflict }

    /// Bound on the values one equivocating validator can add to, so it cannot grow memory.
    static let maxValuesPerValidator = Limits.voteValuesPerValidatorMax

    let type: VoteType
    let round: Round
    /// The first (counted) vote of each validator (looked up, never iterated for decisions).
    private(set) var votes: [IdentityID: SignedVote] = [:]
    /// Every value each validator voted for, with its vote for that value.
    private var votesByValidator: [IdentityID: [SignedVote]] = [:]
    /// Power per block hash; the nil key holds the nil votes.
    private(set) var powerByValue: [Hash256?: UInt64] = [:]
    /// Power of the validators that voted, each once, whatever the value.
    private(set) var totalPower: UInt64 = 0

    init(type: VoteType, round: Round) {
        self.type = type
        self.round = round
    }

    /// Files `vote` (already checked to be a validator's, for this height) with `power`.
    mutating func add(_ vote: SignedVote, power: UInt64) -> Outcome {
        precondition(vote.vote.type == type && vote.vote.round == round, "vote filed under the wrong (round, type)")
        precondition(power > 0, "only validators with power vote")
        let previous = votesByValidator[vote.validator, default: []]
        // Same value with another timestamp is not a new vote: it cannot change a count.
        if previous.contains(where: { $0.vote.blockHash == vote.vote.blockHash }) { return .duplicate }
        if previous.isEmpty {
            votes[vote.validator] = vote
            totalPower += power
        }
        if previous.count < Self.maxValuesPerValidator {
            votesByValidator[vote.validator] = previous + [vote]
            powerByValue[vote.vote.blockHash, default: 0] += power
        }
        precondition(powerByValue[vote.vote.blockHash, default: 0] <= totalPower, "a value never outweighs all voters")
        return previous.isEmpty ? .added : .conflict
    }

    /// Power of the votes for `value` (nil = the nil votes).
    func power(for value: Hash256?) -> UInt64 { powerByValue[value, default: 0] }

    /// The counted votes for `blockHash`, sorted by validator id (deterministic output).
    func votes(for blockHash: Hash256) -> [SignedVote] {
        votesByValidator.values.compactMap { $0.first { $0.vote.blockHash == blockHash } }
            .sorted { $0.validator < $1.validator }
    }
}
