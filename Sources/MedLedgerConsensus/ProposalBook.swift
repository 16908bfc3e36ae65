import MedLedgerCore

/// A proposal the state machine has accepted from the round's proposer, with the driver's
/// verdict on its block (Tendermint's valid(v)).
struct ProposalRecord: Sendable, Equatable {
    let proposal: Proposal
    let blockIsValid: Bool
    var blockHash: Hash256 { proposal.blockHash }
}

/// The proposals of one height, per round, in arrival order. An honest proposer sends one
/// per round; an equivocating one may send several, and all of them are kept (up to a
/// bound) because a decision (line 49) may be for any of them.
struct ProposalBook: Sendable {
    enum Outcome: Equatable { case added, duplicate, conflict, dropped }

    /// Bound on the distinct proposals kept per round, so an equivocating proposer cannot
    /// grow memory without limit; two are enough to show equivocation.
    static let maxPerRound = Limits.proposalsPerRoundMax

    private var byRound: [Round: [ProposalRecord]] = [:]

    /// Files `record`; `.conflict` when the proposer already proposed something else.
    mutating func add(_ record: ProposalRecord) -> Outcome {
        let round = record.proposal.round
        var records = byRound[round, default: []]
        precondition(records.count <= Self.maxPerRound, "proposal bound holds")
        let same = records.contains {
            $0.blockHash == record.blockHash && $0.proposal.validRound == record.proposal.validRound
        }
        if same { return .duplicate }
        let outcome: Outcome = records.isEmpty ? .added : .conflict
        guard records.count < Self.maxPerRound else { return .dropped }
        records.append(record)
        byRound[round] = records
        precondition(!records.isEmpty, "a filed proposal is kept")
        return outcome
    }

    /// Proposals of `round`, in arrival order.
    func records(round: Round) -> [ProposalRecord] { byRound[round] ?? [] }

    /// Rounds that have proposals, ascending.
    var rounds: [Round] { byRound.keys.sorted() }
}
