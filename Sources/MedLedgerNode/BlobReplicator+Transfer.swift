import MedLedgerCore
import MedLedgerP2P

extension BlobReplicator {
    /// The whole blob from `peer`, chunk by chunk, or nil when the peer does not serve it,
    /// is too slow, or sends anything but exactly the declared bytes of the blob.
    func download(_ need: BlobNeed, from peer: IdentityID) async -> [UInt8]? {
        let deadline = ContinuousClock.now + .milliseconds(Limits.blobTransferTimeoutMilliseconds)
        var assembly = BlobAssembly(need)
        do {
            while !assembly.isComplete {
                guard ContinuousClock.now < deadline else {
                    logger.warning(
                        "blob \(need.address): \(peer) took over \(Limits.blobTransferTimeoutMilliseconds) ms")
                    return nil
                }
                guard case .chunk(let chunk) = await requestChunk(need.address, offset: assembly.nextOffset, from: peer)
                else { return nil }
                try assembly.accept(chunk)
            }
            return try assembly.verified()
        } catch {
            logger.warning("blob \(need.address): refused what \(peer) sent: \(error); not stored")
            return nil
        }
    }

    /// Sends one chunk request and waits for its answer, at most `Limits.blobChunkTimeoutMilliseconds`.
    func requestChunk(_ address: Hash256, offset: UInt32, from peer: IdentityID) async -> ChunkAnswer {
        precondition(outstanding[address] == nil, "one transfer per address")
        nextToken += 1
        let token = nextToken
        return await withCheckedContinuation { continuation in
            outstanding[address] = Outstanding(peer: peer, offset: offset, token: token, continuation: continuation)
            guard network.send(.blobRequest(address: address, offset: offset), to: peer) else {
                answer(address, token: token, .unavailable)
                return
            }
            Task { [weak self] in
                try? await Task.sleep(for: .milliseconds(Limits.blobChunkTimeoutMilliseconds))
                await self?.answer(address, token: token, .timedOut)
            }
        }
    }

    /// Ends the wait of request `token`, if it is still the one waiting.
    func answer(_ address: Hash256, token: UInt64, _ answer: ChunkAnswer) {
        guard let waiting = outstanding[address], waiting.token == token else { return }
        outstanding[address] = nil
        waiting.continuation.resume(returning: answer)
    }

    /// A blob message from a peer. Chunks nobody asked for (another peer, another offset, no
    /// transfer) are dropped.
    func handle(_ message: PeerMessage, from peer: IdentityID) {
        switch message {
        case .blobRequest(let address, let offset): serve(address, offset: offset, to: peer)
        case .blobChunk(let chunk):
            guard let waiting = outstanding[chunk.address], waiting.peer == peer, waiting.offset == chunk.offset else {
                logger.debug("dropped a blob chunk nobody asked \(peer) for")
                return
            }
            answer(chunk.address, token: waiting.token, .chunk(chunk))
        case .blobUnavailable(let address):
            guard let waiting = outstanding[address], waiting.peer == peer else { return }
            answer(address, token: waiting.token, .unavailable)
        default: return
        }
    }

    /// Serves one chunk of a committed report version's blob to a peer the storage policy
    /// lets hold it; anything else gets `blobUnavailable`.
    func serve(_ address: Hash256, offset: UInt32, to peer: IdentityID) {
        guard let need = known[address] else { return refuse(address, peer) }
        if let problem = servingProblem(need, offset: offset, to: peer) {
            refusedBlobs += 1
            logger.notice("not serving blob \(address) to \(peer): \(problem)")
            return refuse(address, peer)
        }
        sendChunk(need, offset: offset, to: peer)
    }

    private func servingProblem(_ need: BlobNeed, offset: UInt32, to peer: IdentityID) -> String? {
        guard placement.eligibleHolders(organization: need.organization).contains(peer) else {
            return "organization \(need.organization)'s storage policy does not allow that node"
        }
        guard Int(offset) < need.sizeBytes else { return "offset \(offset) is past its \(need.sizeBytes) bytes" }
        guard withinServingRate(peer) else {
            return "more than \(Limits.blobServeChunksPerPeerPerSecond) chunks asked this second"
        }
        return nil
    }

    /// Counts one chunk for `peer`; false when it has had its share of this second.
    private func withinServingRate(_ peer: IdentityID) -> Bool {
        let window = (ContinuousClock.now - startedAt).components.seconds
        var entry = served[peer] ?? (window, 0)
        if entry.window != window { entry = (window, 0) }
        guard entry.chunks < Limits.blobServeChunksPerPeerPerSecond else { return false }
        entry.chunks += 1
        served[peer] = entry
        return true
    }

    private func sendChunk(_ need: BlobNeed, offset: UInt32, to peer: IdentityID) {
        do {
            guard
                let (bytes, total) = try blobs.read(
                    need.address, offset: Int(offset), maxBytes: Limits.blobChunkMaxBytes),
                total == need.sizeBytes, !bytes.isEmpty
            else { return refuse(need.address, peer) }
            let chunk = BlobChunk(address: need.address, offset: offset, totalBytes: UInt32(total), bytes: bytes)
            servedChunks += 1
            _ = network.send(.blobChunk(chunk), to: peer)
        } catch {
            logger.error("could not read blob \(need.address) for \(peer): \(error)")
            refuse(need.address, peer)
        }
    }

    private func refuse(_ address: Hash256, _ peer: IdentityID) {
        _ = network.send(.blobUnavailable(address: address), to: peer)
    }
}
