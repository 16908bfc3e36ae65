import MedLedgerCore

extension TendermintMachine: CustomStringConvertible {
    /// Round, step, lock, and the vote power seen in the current round (for logs and
    /// simulator failure messages).
    public var description: String {
        let prevote = prevotes[round].map { "\($0.totalPower) (nil \($0.power(for: nil)))" } ?? "0"
        let precommit = precommits[round].map { "\($0.totalPower) (nil \($0.power(for: nil)))" } ?? "0"
        let lock = lockedRound.map { "locked r\($0)" } ?? "unlocked"
        let valid = validRound.map { "valid r\($0)" } ?? "no valid"
        return "h\(height) r\(round) \(step) \(lock) \(valid) proposals \(proposals.records(round: round).count) "
            + "prevotes \(prevote) precommits \(precommit)"
    }
}

extension ConsensusStep: CustomStringConvertible {
    public var description: String {
        switch self {
        case .propose: "propose"
        case .prevote: "prevote"
        case .precommit: "precommit"
        case .committed: "committed"
        }
    }
}
