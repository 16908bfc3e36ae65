import MedLedgerCore

extension TendermintMachine {
    /// StartRound(r), lines 11-21. Unlike the paper every validator, the proposer too,
    /// schedules timeoutPropose: a proposer whose driver cannot propose (its signer refuses
    /// after a restart) then still moves on instead of stalling in the propose step.
    mutating func startRound(_ newRound: Round) {
        precondition(newRound >= round, "rounds only move forward")
        precondition(step != .committed, "a decided height starts no round")
        round = newRound
        step = .propose
        // Persist the new round first, so a restart never goes back to an earlier one.
        flushPersist()
        if let me, proposer(round: newRound) == me {
            if let validBlock, let validRound {
                pending.append(
                    .reproposeBlock(height: height, round: newRound, validRound: validRound, blockHash: validBlock))
            } else {
                pending.append(.proposeNewBlock(height: height, round: newRound))
            }
        }
        pending.append(
            .scheduleTimeout(
                ConsensusTimeout(step: .propose, height: height, round: newRound),
                afterMilliseconds: timeouts.duration(.propose, round: newRound)))
    }

    /// Resumes a persisted (round, step). Votes seen before the crash are gone, so the
    /// timeout of the current step is scheduled right away: it only ever leads to a nil vote
    /// or the next round, which never conflicts with anything signed before.
    mutating func resume(_ state: PersistentConsensusState) {
        precondition(state.height == height, "restoring another height")
        precondition(state.lockedRound.map { $0 <= state.round } ?? true, "persisted lock is not ahead of round")
        round = state.round
        lockedRound = state.lockedRound
        lockedBlock = state.lockedBlock
        validRound = state.validRound
        validBlock = state.validBlock
        validProof = state.validProof
        lastPersisted = state
        // The proof's prevotes count again, as if just received, so this validator can
        // show its polka to others; that polka was seen, so line 36 does not fire for it again.
        for vote in state.validProof { receive(vote) }
        if let validRound = state.validRound, !state.validProof.isEmpty { polkaSeen.insert(validRound) }
        switch state.step {
        case .propose:
            startRound(state.round)
        case .prevote:
            step = .prevote
            prevoteTimeoutScheduled.insert(round)
            schedule(.prevote)
        case .precommit:
            step = .precommit
            precommitTimeoutScheduled.insert(round)
            schedule(.precommit)
        case .committed:
            // Decided before the crash, but the block was not stored: wait for the
            // proposal and precommits again (line 49), voting no more.
            step = .committed
        }
    }

    mutating func schedule(_ timeoutStep: TimeoutStep) {
        pending.append(
            .scheduleTimeout(
                ConsensusTimeout(step: timeoutStep, height: height, round: round),
                afterMilliseconds: timeouts.duration(timeoutStep, round: round)))
    }

    /// Sends a vote of the current round; the new step must already be set, so the state
    /// persisted first covers the vote (a restart never votes twice in a step).
    mutating func castVote(_ type: VoteType, _ blockHash: Hash256?) {
        precondition(me != nil, "only a validator votes")
        precondition(step == (type == .prevote ? .prevote : .precommit), "step set before voting")
        flushPersist()
        pending.append(.castVote(type: type, height: height, round: round, blockHash: blockHash))
    }

    /// Emits `.persist` when round, step, lock or valid value changed since the last one.
    mutating func flushPersist() {
        let state = persistentState
        guard state != lastPersisted else { return }
        lastPersisted = state
        pending.append(.persist(state))
    }

    /// OnTimeoutPropose (57), OnTimeoutPrevote (61), OnTimeoutPrecommit (65).
    mutating func onTimeout(_ timeout: ConsensusTimeout) {
        guard timeout.height == height, timeout.round == round, step != .committed else { return }
        precondition(started, "timeouts after start")
        switch timeout.step {
        case .propose:
            guard step == .propose else { return }
            step = .prevote
            if me != nil { castVote(.prevote, nil) }
        case .prevote:
            guard step == .prevote else { return }
            step = .precommit
            if me != nil { castVote(.precommit, nil) }
        case .precommit:
            precondition(round.rawValue < UInt32.max, "round overflow")
            startRound(round + 1)
        }
    }

    /// Files a proposal from the round's proposer; equivocation is reported.
    mutating func receive(_ proposal: Proposal, blockIsValid: Bool) {
        guard proposal.chainID == chainID, proposal.height == height, isWithinRoundWindow(proposal.round),
            proposal.proposer == proposer(round: proposal.round)
        else { return }
        // A validRound must name an earlier round (line 28: vr < round_p).
        if let validRound = proposal.validRound, validRound >= proposal.round { return }
        let outcome = proposals.add(ProposalRecord(proposal: proposal, blockIsValid: blockIsValid))
        if outcome == .conflict { report(proposal.proposer, round: proposal.round, kind: 0) }
        if outcome == .added || outcome == .conflict { senders[proposal.round, default: []].insert(proposal.proposer) }
    }

    /// Files a vote in its (round, type) set, current round or not.
    mutating func receive(_ signed: SignedVote) {
        let vote = signed.vote
        guard vote.chainID == chainID, vote.height == height, isWithinRoundWindow(vote.round),
            let power = powers[signed.validator]
        else { return }
        var set: VoteSet
        switch vote.type {
        case .prevote: set = prevotes[vote.round] ?? VoteSet(type: .prevote, round: vote.round)
        case .precommit: set = precommits[vote.round] ?? VoteSet(type: .precommit, round: vote.round)
        }
        let outcome = set.add(signed, power: power)
        switch vote.type {
        case .prevote: prevotes[vote.round] = set
        case .precommit: precommits[vote.round] = set
        }
        switch outcome {
        case .added: senders[vote.round, default: []].insert(signed.validator)
        case .conflict: report(signed.validator, round: vote.round, kind: vote.type.rawValue)
        case .duplicate: break
        }
    }

    /// Messages for rounds far ahead are dropped: a Byzantine validator could otherwise make
    /// us keep a vote set for every round number (see `Limits.consensusMaxRoundsAhead`).
    public func isWithinRoundWindow(_ messageRound: Round) -> Bool {
        messageRound <= round || messageRound.rawValue - round.rawValue <= Limits.consensusMaxRoundsAhead
    }

    mutating func report(_ validator: IdentityID, round: Round, kind: UInt8) {
        guard reportedEquivocations.insert(EquivocationKey(validator: validator, round: round, kind: kind)).inserted
        else { return }
        pending.append(.reportEquivocation(validator: validator, height: height, round: round))
    }
}
