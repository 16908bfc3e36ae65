import MedLedgerCore

extension TendermintMachine {
    /// More than two thirds of the voting power (Algorithm 1's 2f + 1).
    func isQuorum(_ power: UInt64) -> Bool { power * 3 > validators.totalPower * 2 }
    /// More than one third of the voting power (Algorithm 1's f + 1).
    func exceedsOneThird(_ power: UInt64) -> Bool { power * 3 > validators.totalPower }

    /// Applies the "upon" rules until none fires. Each firing changes the step, the round
    /// or a first-time guard, so this reaches a fixed point; the order is fixed so every
    /// replica reacts to the same inputs the same way.
    mutating func applyRules() {
        var firings = 0
        while applyOneRule() {
            firings += 1
            precondition(firings < 100_000, "upon rules must reach a fixed point")
        }
        precondition(decision == nil || step == .committed, "a decision ends the height")
    }

    private mutating func applyOneRule() -> Bool {
        guard decision == nil else { return false }
        if decideOnCommit() { return true }  // line 49
        guard step != .committed else { return false }
        if skipToHigherRound() { return true }  // line 55
        if step == .propose, prevoteOnProposal() { return true }  // lines 22, 28
        if step == .prevote || step == .precommit, lockOnPolka() { return true }  // line 36
        if step == .prevote, precommitNilOnNilPolka() { return true }  // line 44
        if step == .prevote, schedulePrevoteTimeout() { return true }  // line 34
        if schedulePrecommitTimeout() { return true }  // line 47
        return false
    }

    /// Line 49: a proposal for v from proposer(h, r) and 2f + 1 precommits for v in r, any
    /// round r, decide v (if valid).
    private mutating func decideOnCommit() -> Bool {
        precondition(decision == nil, "decide once")
        for round in proposals.rounds {
            guard let set = precommits[round] else { continue }
            for record in proposals.records(round: round) where record.blockIsValid {
                guard isQuorum(set.power(for: record.blockHash)) else { continue }
                decision = record.blockHash
                step = .committed
                flushPersist()
                pending.append(
                    .decide(
                        height: height, round: round, blockHash: record.blockHash,
                        precommits: set.votes(for: record.blockHash)))
                return true
            }
        }
        return false
    }

    /// Line 55: f + 1 validators sent messages of a higher round: start that round (the
    /// highest such round, to catch up in one jump).
    private mutating func skipToHigherRound() -> Bool {
        let ahead = senders.keys.filter { $0 > round }.sorted(by: >)
        for candidate in ahead {
            let power = senders[candidate, default: []].reduce(UInt64(0)) { $0 + powers[$1, default: 0] }
            guard exceedsOneThird(power) else { continue }
            precondition(candidate > round, "skips only forward")
            startRound(candidate)
            return true
        }
        return false
    }

    /// Lines 22 and 28: prevote the round's proposal if it is valid and compatible with the
    /// lock, else nil. A proposal with a validRound waits for that round's polka.
    private mutating func prevoteOnProposal() -> Bool {
        precondition(step == .propose, "prevote from the propose step")
        for record in proposals.records(round: round) {
            let value = record.blockHash
            let acceptable: Bool
            if let proposalValidRound = record.proposal.validRound {
                precondition(proposalValidRound < round, "validRound names an earlier round")
                guard isQuorum(prevotes[proposalValidRound]?.power(for: value) ?? 0) else { continue }
                acceptable = (lockedRound.map { $0 <= proposalValidRound } ?? true) || lockedBlock == value
            } else {
                acceptable = lockedRound == nil || lockedBlock == value
            }
            step = .prevote
            if me != nil { castVote(.prevote, record.blockIsValid && acceptable ? value : nil) }
            return true
        }
        return false
    }

    /// Line 36: the round's proposal for v and 2f + 1 prevotes for v, step >= prevote, for
    /// the first time: in the prevote step lock on v and precommit it; always make v valid.
    private mutating func lockOnPolka() -> Bool {
        guard !polkaSeen.contains(round), let set = prevotes[round] else { return false }
        for record in proposals.records(round: round) where record.blockIsValid {
            guard isQuorum(set.power(for: record.blockHash)) else { continue }
            polkaSeen.insert(round)
            validBlock = record.blockHash
            validRound = round
            validProof = set.votes(for: record.blockHash)
            precondition(
                isQuorum(validProof.reduce(0) { $0 + powers[$1.validator, default: 0] }), "a proof is a quorum")
            if step == .prevote {
                lockedBlock = record.blockHash
                lockedRound = round
                step = .precommit
                if me != nil { castVote(.precommit, record.blockHash) }
            }
            precondition(lockedRound.map { $0 <= validRound! } ?? true, "lock not ahead of valid")
            return true
        }
        return false
    }

    /// Line 44: 2f + 1 prevotes for nil: precommit nil.
    private mutating func precommitNilOnNilPolka() -> Bool {
        precondition(step == .prevote, "from the prevote step")
        guard isQuorum(prevotes[round]?.power(for: nil) ?? 0) else { return false }
        step = .precommit
        if me != nil { castVote(.precommit, nil) }
        return true
    }

    /// Line 34: 2f + 1 prevotes of any value, first time: schedule timeoutPrevote.
    private mutating func schedulePrevoteTimeout() -> Bool {
        precondition(step == .prevote, "from the prevote step")
        guard !prevoteTimeoutScheduled.contains(round), isQuorum(prevotes[round]?.totalPower ?? 0) else { return false }
        prevoteTimeoutScheduled.insert(round)
        schedule(.prevote)
        return true
    }

    /// Line 47: 2f + 1 precommits of any value, first time: schedule timeoutPrecommit.
    private mutating func schedulePrecommitTimeout() -> Bool {
        precondition(step != .committed, "an undecided height")
        guard !precommitTimeoutScheduled.contains(round), isQuorum(precommits[round]?.totalPower ?? 0) else {
            return false
        }
        precommitTimeoutScheduled.insert(round)
        schedule(.precommit)
        return true
    }
}
