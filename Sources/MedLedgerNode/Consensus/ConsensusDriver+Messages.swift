import MedLedgerCore
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerStorage

extension ConsensusDriver {
    /// Checks a peer message and feeds it to the state machine, the mempool or sync.
    func handle(_ message: PeerMessage, from peer: IdentityID) async {
        switch message {
        case .proposal(let proposal, let block): await onProposal(proposal, block)
        case .vote(let vote): await onVote(vote)
        case .transaction(let tx): await admitGossiped([tx], from: peer)
        case .transactions(let list): await admitGossiped(list, from: peer)
        case .statusRequest:
            _ = network.send(.status(height: await node.height, latestBlockHash: await node.latestBlockHash), to: peer)
        case .status(let height, _):
            let ours = await node.height
            if height > ours {
                network.send(.blockRequest(from: ours + 1, count: Limits.syncBlocksPerRequest), to: peer)
            }
        case .blockRequest(let from, let count): await serveBlocks(from: from, count: count, to: peer)
        case .blockResponse(let blocks): await applySynced(blocks)
        case .ping, .pong: break  // answered inside PeerNetwork
        case .blobRequest, .blobChunk, .blobUnavailable: break  // PeerNetwork.blobInbound: BlobReplicator's
        }
    }

    /// Gossiped transactions: signatures are checked on a task of their own, so neither this
    /// driver nor the node actor (which runs consensus and blocks) spends time on them; inline
    /// when `options.checksGossipOffActor` is off (the simulator: no task scheduling).
    ///
    /// The node's `ConsensusService` does not wait for the driver: it hands gossip to
    /// `checkGossiped` as it arrives (see there).
    func admitGossiped(_ transactions: [Transaction], from peer: IdentityID) async {
        guard options.checksGossipOffActor else {
            await node.admitGossiped(Self.validGossip(transactions, node: node), signaturesVerified: true)
            return
        }
        checkGossiped(transactions, from: peer)
    }

    /// The gossiped transactions whose signatures hold, each verified at most once by this
    /// node (`VerifiedSignatures`), the verifications counted on `/metrics`. The one check
    /// of gossip, inline (the simulator) or on the gossip checks' tasks.
    static func validGossip(_ batch: [Transaction], node: LedgerNode) -> [Transaction] {
        let (valid, verified) = node.verifiedSignatures.validOnes(batch)
        node.metrics.gossipSignatureChecks.increment(by: verified)
        return valid
    }

    /// Starts the checks of gossiped transactions without waiting for this driver's turn.
    ///
    /// Events reach the driver one at a time, and a proposal's execution or a block's commit
    /// holds the line for tens of milliseconds under load. Gossip queued behind them reached
    /// the next proposer that much later (on a half-loaded testnet a peer admitted a
    /// transaction about 45 ms after the node a client gave it to), and nothing in it needs
    /// the driver: tickets keep the arrival order (`GossipAdmissionQueue`).
    ///
    /// A batch beyond the checks' limit, in all or for its peer, is dropped
    /// (`GossipAdmissionQueue`): counted on `/metrics`, and a warning logged at the start of
    /// each run of drops, not for every one.
    /// - Precondition: `options.checksGossipOffActor` (the simulator delivers everything in
    ///   its own order, through `handle`).
    public nonisolated func checkGossiped(_ transactions: [Transaction], from peer: IdentityID) {
        precondition(options.checksGossipOffActor, "the simulator admits gossip inline, in its own order")
        guard case .dropped(let firstOfARun) = gossipAdmission.check(transactions, from: peer) else { return }
        node.metrics.gossipDropped(transactions.count)
        if firstOfARun {
            let (held, fromPeer) = (gossipAdmission.held, gossipAdmission.held(from: peer))
            let note =
                "dropping gossiped transactions: \(held.transactions) (\(held.bytes) bytes) already being checked, "
                + "\(fromPeer.transactions) (\(fromPeer.bytes) bytes) of them from \(peer.hex.prefix(12))"
            logger.warning("\(note)")
        }
    }

    func onProposal(_ proposal: Proposal, _ block: Block) async {
        // A proposal for a height we have committed is dropped before its block is hashed or
        // its signature checked: nothing would use it, and a peer could replay old ones.
        guard proposal.height >= currentHeight else {
            node.metrics.staleConsensusMessages.increment()
            notify(.droppedStale)
            return
        }
        guard proposal.chainID == node.genesis.chainID, block.hash == proposal.blockHash, verifies(proposal) else {
            logger.warning("dropped an invalid proposal from \(proposal.proposer.hex.prefix(12))")
            node.metrics.invalidConsensusMessages.increment()
            notify(.droppedBadSignature)
            return
        }
        if proposal.height > currentHeight {
            let next = currentHeight + 1
            nextHeight.keep(
                proposal, block, height: next,
                proposer: TendermintMachine.proposer(validators: node.validators, height: next, round: 0))
            await catchUpIfBehind()
            return
        }
        // Cheap checks before the expensive one: only the round's proposer, within the round
        // window, may make us execute a block, and only so many blocks are kept per height.
        guard machine.isWithinRoundWindow(proposal.round), proposal.proposer == machine.proposer(round: proposal.round)
        else {
            logger.debug("dropped a proposal from a validator that is not proposer of round \(proposal.round)")
            return
        }
        let valid: Bool
        if candidates[block.hash] != nil {
            valid = true
        } else if candidates.count >= Limits.consensusMaxCandidateBlocks {
            logger.warning("dropped a proposal: \(candidates.count) blocks already executed at height \(currentHeight)")
            return
        } else {
            switch await node.executeProposed(block) {
            case .success(let executed):
                candidates[block.hash] = executed
                valid = true
            case .failure(let rejection):
                logger.warning("proposal rejected: \(rejection)")
                valid = false
            }
        }
        await perform(machine.handle(.proposal(proposal, blockIsValid: valid)))
    }

    func onVote(_ signed: SignedVote) async {
        // A vote for a height we have committed is of no use, so it is dropped before its
        // signature is checked, which costs more than the rest of the handling. Such votes
        // come every height (a precommit beyond the quorum that arrives once we have moved
        // on), and a peer could replay any number of old ones.
        guard signed.vote.height >= currentHeight else {
            node.metrics.staleConsensusMessages.increment()
            notify(.droppedStale)
            return
        }
        guard signed.vote.chainID == node.genesis.chainID, verifies(signed) else {
            logger.warning("dropped a vote with a bad signature from \(signed.validator.hex.prefix(12))")
            node.metrics.invalidConsensusMessages.increment()
            notify(.droppedBadSignature)
            return
        }
        if signed.vote.height > currentHeight {
            nextHeight.keep(signed, height: currentHeight + 1)
            await catchUpIfBehind()
            return
        }
        await perform(machine.handle(.vote(signed)))
    }

    /// Proposal signature, checked once per height (peers re-send every second).
    private func verifies(_ proposal: Proposal) -> Bool {
        if verified.contains(proposal) { return true }
        guard let validator = node.validators.member(proposal.proposer),
            validator.signingKey.isValidSignature(proposal.signature, for: proposal.signingBytes)
        else { return false }
        if proposal.height == currentHeight { verified.insert(proposal) }
        return true
    }

    /// Vote signature, checked once per height.
    private func verifies(_ signed: SignedVote) -> Bool {
        if verified.contains(signed) { return true }
        guard let validator = node.validators.member(signed.validator), signed.verifies(with: validator.signingKey)
        else {
            return false
        }
        if signed.vote.height == currentHeight { verified.insert(signed) }
        return true
    }

    /// Asks peers for their status at most every `syncRequestMilliseconds`; a peer ahead of us
    /// gets a block request.
    func catchUpIfBehind() async {
        let now = clock.now().milliseconds
        if let last = lastSyncRequestAt, now < last + options.syncRequestMilliseconds, now >= last { return }
        lastSyncRequestAt = now
        _ = network.broadcast(.statusRequest)
    }

    func serveBlocks(from start: Height, count: UInt32, to peer: IdentityID) async {
        let latest = await node.height
        guard start >= 1, start <= latest else { return }
        var blocks: [(Block, CommitCertificate)] = []
        var height = start
        var bytes = 0
        // Stay under the 16 MiB frame limit: one block alone can be 8 MiB.
        while height <= latest, blocks.count < Int(min(count, Limits.syncBlocksPerRequest)) {
            guard let stored = try? await node.block(at: height) else { break }
            let size = stored.block.encodedBody.count + 1_024
            guard blocks.isEmpty || bytes + size <= PeerFrame.maxPayloadBytes - 1_024 else { break }
            blocks.append((stored.block, stored.certificate))
            bytes += size
            height += 1
        }
        if !blocks.isEmpty { _ = network.send(.blockResponse(blocks), to: peer) }
    }

    /// Block sync: each block is checked against its certificate, executed and committed;
    /// then consensus restarts at the new height.
    func applySynced(_ blocks: [(Block, CommitCertificate)]) async {
        var advanced = false
        for (block, certificate) in blocks where block.header.height == (await node.height) + 1 {
            do {
                try await node.applySynced(block, certificate: certificate)
                advanced = true
                notify(.synced(block.header.height))
            } catch {
                logger.warning("sync: \(error)")
                break
            }
        }
        guard advanced else { return }
        let synced = await node.height
        logger.info("synced to height \(synced)")
        await startNextHeight()
        await catchUpIfBehind()
    }
}
