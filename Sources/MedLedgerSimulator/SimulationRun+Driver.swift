import MedLedgerCore
import MedLedgerConsensus

/// The driver duties a real node has: run the state machine, persist before sending, sign
/// through the double-sign-protected signer, build and check commit certificates, execute.
extension SimulationRun {
    /// Makes the machine for the node's next height (restoring the persisted state when it
    /// is for that height) and replays messages that arrived early.
    func startHeight(_ node: SimulatedNode) {
        precondition(node.up, "only a running node works")
        let height = node.currentHeight
        var machine = TendermintMachine(chainID: Self.chainID, validators: validators, me: node.id, height: height,
                                        timeouts: timeouts, restoring: node.persisted)
        let actions = machine.start()
        node.machine = machine
        node.inbox = []
        precondition(node.machine?.height == height, "machine for the next height")
        perform(node, actions)
        let early = node.futureBuffer.filter { $0.message.consensusHeight == height }
        node.futureBuffer.removeAll { ($0.message.consensusHeight ?? 0) <= height }
        for (from, message) in early { receive(node, from: from, message) }
    }

    /// Hands an input to the node's machine; inputs produced while handling (own votes fed
    /// back) queue up instead of re-entering the machine.
    func feed(_ node: SimulatedNode, _ input: ConsensusInput) {
        node.inbox.append(input)
        guard !node.draining else { return }
        node.draining = true
        defer { node.draining = false }
        while !node.inbox.isEmpty, node.machine != nil {
            let next = node.inbox.removeFirst()
            let actions = node.machine!.handle(next)
            statistics.maxRound = max(statistics.maxRound, node.machine?.round ?? 0)
            perform(node, actions)
        }
    }

    func perform(_ node: SimulatedNode, _ actions: [ConsensusAction]) {
        for action in actions {
            // After a decision the node is at the next height; leftovers of the old one are moot.
            guard let height = node.machine?.height, failure == nil else { return }
            switch action {
            case .persist(let state):
                precondition(state.height == height, "persisting the current height")
                node.persisted = state
            case .proposeNewBlock(let actionHeight, let round):
                guard actionHeight == height else { return }
                propose(node, round: round)
            case .reproposeBlock(let actionHeight, let round, let validRound, let blockHash):
                guard actionHeight == height, let block = node.blockStore[blockHash] else { return }
                sendProposal(node, block, round: round, validRound: validRound)
            case .castVote(let type, let actionHeight, let round, let blockHash):
                guard actionHeight == height else { return }
                castVote(node, type, round: round, blockHash: blockHash)
            case .scheduleTimeout(let timeout, let milliseconds):
                queue.push(.timeout(node: node.index, incarnation: node.incarnation, timeout), at: now + milliseconds)
            case .decide(let actionHeight, let round, let blockHash, let precommits):
                guard actionHeight == height else { return }
                decide(node, round: round, blockHash: blockHash, precommits: precommits)
            case .reportEquivocation(let validator, let reportHeight, let round):
                statistics.equivocationReports += 1
                if let culprit = nodes.first(where: { $0.id == validator }), !culprit.byzantine {
                    fail("honest validator \(culprit.index) reported for equivocation at height \(reportHeight) round \(round)")
                }
            }
        }
    }

    /// Builds a block on the node's chain: payload from the PRNG, time from the last commit.
    func buildBlock(_ node: SimulatedNode, markInvalid: Bool = false) -> SimulatedBlock {
        let lastCommit = node.certificates.last
        let time = lastCommit?.medianTime(validators: validators) ?? Self.genesisTime
        let payload = random.bytes(16)
        let header = BlockHeader(chainID: Self.chainID, height: node.currentHeight, time: time,
                                 previousBlockHash: node.chain.last?.hash ?? .zero,
                                 lastCommitHash: Block.lastCommitHash(lastCommit),
                                 transactionsRoot: Hash256.of(payload),
                                 resultsRoot: markInvalid ? SimulatedBlock.invalidMark : .empty,
                                 stateRoot: node.appState, validatorsHash: validators.hash, proposer: node.id)
        return SimulatedBlock(header: header, payload: payload, lastCommit: lastCommit)
    }

    func propose(_ node: SimulatedNode, round: UInt32) {
        let height = node.currentHeight
        if node.byzantine {
            // Two proposals for one round: half the peers see each.
            let first = buildBlock(node)
            let second = buildBlock(node, markInvalid: random.chance(permille: 500))
            for block in [first, second] { node.blockStore[block.hash] = block }
            let proposals = [first, second].map {
                Proposal(chainID: Self.chainID, height: height, round: round, validRound: nil, blockHash: $0.hash, keys: node.keys)
            }
            for peer in nodes where peer.index != node.index {
                let pick = peer.index % 2
                send(from: node.index, to: peer.index, .proposal(proposals[pick], pick == 0 ? first : second))
            }
            feed(node, .proposal(proposals[0], blockIsValid: true))
            return
        }
        // After a restart the signer may already hold this round's proposal: send it again.
        if let (proposal, block) = node.signer.proposal(height: height, round: round) {
            node.blockStore[block.hash] = block
            broadcast(from: node, .proposal(proposal, block))
            feed(node, .proposal(proposal, blockIsValid: isValid(block, at: node)))
            return
        }
        sendProposal(node, buildBlock(node), round: round, validRound: nil)
    }

    func sendProposal(_ node: SimulatedNode, _ block: SimulatedBlock, round: UInt32, validRound: UInt32?) {
        node.blockStore[block.hash] = block
        let proposal: Proposal?
        if node.byzantine {
            proposal = Proposal(chainID: Self.chainID, height: block.height, round: round, validRound: validRound,
                                blockHash: block.hash, keys: node.keys)
        } else {
            proposal = node.signer.signProposal(block, round: round, validRound: validRound)
        }
        guard let proposal else {
            statistics.signaturesRefused += 1
            return
        }
        broadcast(from: node, .proposal(proposal, block))
        feed(node, .proposal(proposal, blockIsValid: isValid(block, at: node)))
    }

    func castVote(_ node: SimulatedNode, _ type: VoteType, round: UInt32, blockHash: Hash256?) {
        let vote = Vote(type: type, chainID: Self.chainID, height: node.currentHeight, round: round,
                        blockHash: blockHash, time: voteTime(node, blockHash: blockHash))
        guard !node.byzantine else { return castEquivocatingVote(node, vote) }
        guard let signed = node.signer.signVote(vote) else {
            statistics.signaturesRefused += 1
            return
        }
        broadcast(from: node, .vote(signed))
        feed(node, .vote(signed))
    }

    /// A Byzantine vote: one value to half the peers, another to the rest.
    func castEquivocatingVote(_ node: SimulatedNode, _ vote: Vote) {
        let other = vote.blockHash == nil ? Hash256.of(random.bytes(8)) : nil
        let conflicting = Vote(type: vote.type, chainID: vote.chainID, height: vote.height, round: vote.round,
                               blockHash: other, time: vote.time)
        let votes = [SignedVote(vote: vote, keys: node.keys), SignedVote(vote: conflicting, keys: node.keys)]
        for peer in nodes where peer.index != node.index {
            send(from: node.index, to: peer.index, .vote(votes[peer.index % 2]))
        }
        // Sometimes one peer gets both, so equivocation is seen and reported.
        let witness = nodes[random.index(nodes.count)]
        if witness.index != node.index, random.chance(permille: 300) {
            send(from: node.index, to: witness.index, .vote(votes[(witness.index + 1) % 2]))
        }
        if random.chance(permille: profile.garbagePermille) { sendGarbage(from: node) }
        feed(node, .vote(votes[0]))
    }

    /// Tendermint's valid(v) for the simulated application.
    func isValid(_ block: SimulatedBlock, at node: SimulatedNode) -> Bool {
        let header = block.header
        guard header.chainID == Self.chainID, header.height == node.currentHeight, !block.isMarkedInvalid,
              header.previousBlockHash == (node.chain.last?.hash ?? .zero),
              header.transactionsRoot == Hash256.of(block.payload), header.resultsRoot == .empty,
              header.validatorsHash == validators.hash, header.stateRoot == node.appState,
              validators.member(header.proposer) != nil,
              header.lastCommitHash == Block.lastCommitHash(block.lastCommit) else { return false }
        guard let parent = node.chain.last else { return block.lastCommit == nil && header.time == Self.genesisTime }
        guard let lastCommit = block.lastCommit, certificateProblem(lastCommit, for: parent.header) == nil else {
            return false
        }
        return header.time == lastCommit.medianTime(validators: validators) && header.time > parent.header.time
    }
}
