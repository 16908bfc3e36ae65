import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerStorage

extension ConsensusDriver {
    /// Performs the state machine's actions in order; actions that produce our own
    /// proposal or vote feed it back, so the machine counts it like any other. A state the
    /// machine handed over is on disk when this returns (most often written with a vote).
    func perform(_ actions: [ConsensusAction]) async {
        var queue = actions[...]
        while let action = queue.popFirst() {
            queue.append(contentsOf: await execute(action))
        }
        do { try signer.flush() } catch { stop("cannot persist consensus state: \(error)") }
    }

    private func execute(_ action: ConsensusAction) async -> [ConsensusAction] {
        switch action {
        case .persist(let state):
            signer.persist(state)
            if let valid = state.validBlock, let executed = candidates[valid] {
                do { try validBlockFile.keep(executed.block) } catch {
                    logger.error("cannot keep the valid block (a restart could not re-propose it): \(error)")
                }
            }
            return []
        case .proposeNewBlock(let height, let round):
            pendingProposal = (height, round)
            return await proposeIfReady(force: false)
        case .reproposeBlock(let height, let round, let validRound, let hash):
            guard let executed = candidates[hash] else { return [] }
            return propose(executed.block, height: height, round: round, validRound: validRound)
        case .castVote(let type, let height, let round, let hash):
            return await castVote(type, height: height, round: round, blockHash: hash)
        case .scheduleTimeout(let timeout, let delay):
            clock.schedule(.timeout(timeout), afterMilliseconds: delay)
            return []
        case .decide(let height, let round, let hash, let precommits):
            await decide(height: height, round: round, blockHash: hash, precommits: precommits)
            return []
        case .reportEquivocation(let validator, let height, let round):
            logger.error("validator \(validator.hex.prefix(12)) equivocated at height \(height) round \(round)")
            notify(.equivocation(validator: validator, height: height, round: round))
            return []
        }
    }

    /// The proposer waits for transactions up to the empty-block interval, so an idle
    /// network still makes a block per interval and a busy one proposes at once.
    func proposeIfReady(force: Bool) async -> [ConsensusAction] {
        guard let (height, round) = pendingProposal, height == currentHeight else { return [] }
        let waited =
            clock.now().milliseconds >= (await node.nextBlockTime).milliseconds
            + node.configuration.emptyBlockIntervalMilliseconds
        let pending = await node.pendingCount
        guard force || waited || pending > 0 || round > 0 else { return [] }
        pendingProposal = nil
        let executed = await node.buildNextBlock()
        candidates[executed.block.hash] = executed
        return propose(executed.block, height: height, round: round, validRound: nil)
    }

    private func propose(_ block: Block, height: Height, round: Round, validRound: Round?) -> [ConsensusAction] {
        do {
            guard try signer.recordProposal(height: height, round: round, blockHash: block.hash) else {
                logger.error("refused to propose a second block for height \(height) round \(round)")
                notify(.refusedToSign)
                return []
            }
        } catch {
            stop("cannot persist a proposal before sending it: \(error)")
            return []
        }
        let proposal = Proposal(
            chainID: node.genesis.chainID, height: height, round: round, validRound: validRound,
            blockHash: block.hash, keys: signer.keys)
        _ = network.broadcast(.proposal(proposal, block))
        remember(.proposal(proposal, block))
        return machine.handle(.proposal(proposal, blockIsValid: true))
    }

    private func castVote(_ type: VoteType, height: Height, round: Round, blockHash: Hash256?) async
        -> [ConsensusAction]
    {
        var time = clock.now()
        if let blockHash, let block = candidates[blockHash]?.block {
            time = node.precommitTime(wallClock: time, blockTime: block.header.time)
        }
        let vote = Vote(
            type: type, chainID: node.genesis.chainID, height: height, round: round, blockHash: blockHash, time: time)
        let signed: SignedVote?
        do { signed = try signer.sign(vote) } catch {
            stop("cannot persist a vote before sending it: \(error)")
            return []
        }
        guard let signed else {
            logger.error("refused to sign a vote that conflicts with one already signed (\(type) h\(height) r\(round))")
            notify(.refusedToSign)
            return []
        }
        _ = network.broadcast(.vote(signed))
        remember(.vote(signed))
        return machine.handle(.vote(signed))
    }

    private func decide(height: Height, round: Round, blockHash: Hash256, precommits: [SignedVote]) async {
        guard let executed = candidates[blockHash] else {
            logger.warning("decided block \(blockHash) at height \(height) is unknown here; syncing")
            await catchUpIfBehind()
            return
        }
        let certificate = CommitCertificate(
            height: height, round: round, blockHash: blockHash,
            signatures: precommits.map {
                CommitSignature(validator: $0.validator, time: $0.vote.time, signature: $0.signature)
            })
        do {
            try await node.commit(executed, certificate: certificate)
        } catch {
            stop("cannot commit block \(height): \(error)")
            return
        }
        await startNextHeight()
    }

    /// A fresh state machine for the height after our latest block.
    func startNextHeight() async {
        let height = await node.height + 1
        guard height > machine.height else { return }
        candidates.removeAll()
        pendingProposal = nil
        ownMessages.removeAll()
        verified.removeAll()
        machine = TendermintMachine(
            chainID: node.genesis.chainID, validators: node.validators, me: node.nodeID,
            height: height, timeouts: timeouts, restoring: nil)
        await perform(machine.start())
        // What reached us early for this height, as if it arrived now; the signatures were
        // verified on arrival.
        let early = nextHeight.take(height: height)
        if let (proposal, block) = early.proposal {
            verified.insert(proposal)
            await onProposal(proposal, block)
        }
        for vote in early.votes {
            verified.insert(vote)
            await onVote(vote)
        }
    }

    func onTick() async {
        await perform(await proposeIfReady(force: false))
        let now = clock.now().milliseconds
        if let last = lastRebroadcastAt, now < last + options.rebroadcastMilliseconds { return }
        lastRebroadcastAt = now
        for message in ownMessages { _ = network.broadcast(message) }
        // The proof of our valid value: a peer that missed that polka needs it to accept our
        // re-proposal (line 28), and we may be the only honest validator that still has it.
        for vote in machine.validProof { _ = network.broadcast(.vote(vote)) }
    }

    /// Keeps the last few of our own messages at this height for re-sending.
    func remember(_ message: PeerMessage) {
        ownMessages.append(message)
        if ownMessages.count > 8 { ownMessages.removeFirst(ownMessages.count - 8) }
    }
}
