import MedLedgerConsensus
import MedLedgerCore

/// What authenticated peers say to each other. Canonically encoded: a one-byte tag, then
/// the case's fields. Tags are part of the wire format: never renumber, only add.
///
/// Decoding is size-limited everywhere (see `PeerMessage.maxBlocksPerRequest`,
/// `Limits.transactionMaxBytes`, `Limits.blockMaxBytes`) and never reaches a `precondition`
/// of a core type, so a hostile peer can make decoding fail but never crash the node.
public enum PeerMessage: Sendable, CanonicalCodable {
    /// A proposal together with the block it proposes (not checked against each other here:
    /// that is consensus' job).
    case proposal(Proposal, Block)
    /// A prevote or precommit.
    case vote(SignedVote)
    /// A transaction gossiped for the mempool.
    case transaction(Transaction)
    /// Asks the peer for its `status`.
    case statusRequest
    /// The sender's committed height and the hash of its latest block.
    case status(height: Height, latestBlockHash: Hash256)
    /// Asks for `count` (at most `maxBlocksPerRequest`) committed blocks starting at `from`.
    case blockRequest(from: Height, count: UInt32)
    /// Committed blocks, each with the certificate that finalized it, in height order.
    case blockResponse([(Block, CommitCertificate)])
    /// Liveness probe; the network layer answers it with `pong` itself.
    case ping(UInt64)
    /// Answer to `ping`, carrying the same value.
    case pong(UInt64)
    /// Several gossiped transactions in one frame (at most `maxTransactionsPerMessage`):
    /// a batch submitted over HTTP travels to the peers as one message.
    case transactions([Transaction])
    /// Asks for the piece of the blob at `address` that starts at `offset` (replication).
    case blobRequest(address: Hash256, offset: UInt32)
    /// A piece of a blob, answering `blobRequest` (see `BlobChunk`).
    case blobChunk(BlobChunk)
    /// The sender will not serve the blob at `address` (it lacks it, or policy forbids).
    case blobUnavailable(address: Hash256)

    /// Largest number of blocks one `blockRequest` may ask for or one `blockResponse` carry.
    public static let maxBlocksPerRequest = Limits.peerBlocksPerRequestMax
    public static let maxTransactionsPerMessage = Limits.peerMessageMaxTransactions

    enum Tag: UInt8 {
        case proposal = 1
        case vote = 2
        case transaction = 3
        case statusRequest = 4
        case status = 5
        case blockRequest = 6
        case blockResponse = 7
        case ping = 8
        case pong = 9
        case transactions = 10
        case blobRequest = 11
        case blobChunk = 12
        case blobUnavailable = 13
    }

    /// A short name for logs (never the content: it may be large).
    public var kind: String {
        switch self {
        case .proposal: "proposal"
        case .vote: "vote"
        case .transaction: "transaction"
        case .statusRequest: "status-request"
        case .status: "status"
        case .blockRequest: "block-request"
        case .blockResponse: "block-response"
        case .ping: "ping"
        case .pong: "pong"
        case .transactions: "transactions"
        case .blobRequest: "blob-request"
        case .blobChunk: "blob-chunk"
        case .blobUnavailable: "blob-unavailable"
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .proposal(let proposal, let block):
            encoder.write(Tag.proposal.rawValue)
            encoder.write(proposal)
            PeerMessage.write(block: block, to: &encoder)
        case .vote(let vote):
            encoder.write(Tag.vote.rawValue)
            encoder.write(vote)
        case .transaction(let transaction):
            encoder.write(Tag.transaction.rawValue)
            encoder.write(bytes: transaction.encoded)
        case .statusRequest:
            encoder.write(Tag.statusRequest.rawValue)
        case .status(let height, let latestBlockHash):
            encoder.write(Tag.status.rawValue)
            encoder.write(height)
            encoder.write(latestBlockHash)
        case .blockRequest(let from, let count):
            encoder.write(Tag.blockRequest.rawValue)
            encoder.write(from)
            encoder.write(count)
        case .blockResponse(let blocks):
            encoder.write(Tag.blockResponse.rawValue)
            encoder.write(UInt32(blocks.count))
            for (block, certificate) in blocks {
                PeerMessage.write(block: block, to: &encoder)
                encoder.write(certificate)
            }
        case .ping(let value):
            encoder.write(Tag.ping.rawValue)
            encoder.write(value)
        case .pong(let value):
            encoder.write(Tag.pong.rawValue)
            encoder.write(value)
        case .transactions(let transactions):
            precondition(transactions.count <= PeerMessage.maxTransactionsPerMessage, "split larger gossip batches")
            encoder.write(Tag.transactions.rawValue)
            encoder.write(UInt32(transactions.count))
            for transaction in transactions { encoder.write(bytes: transaction.encoded) }
        case .blobRequest, .blobChunk, .blobUnavailable: encodeBlobMessage(to: &encoder)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        let raw = try decoder.readUInt8("peerMessage")
        guard let tag = Tag(rawValue: raw) else {
            throw CanonicalDecodingError(field: "peerMessage", reason: "unknown tag \(raw)")
        }
        switch tag {
        case .proposal:
            let proposal = try decoder.read(Proposal.self)
            self = .proposal(proposal, try PeerMessage.readBlock(&decoder))
        case .vote: self = .vote(try decoder.read(SignedVote.self))
        case .transaction:
            self = .transaction(
                try Transaction.decode(decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)))
        case .statusRequest: self = .statusRequest
        case .status:
            self = .status(height: try decoder.read(Height.self), latestBlockHash: try decoder.read(Hash256.self))
        case .blockRequest:
            let from = try decoder.read(Height.self)
            self = .blockRequest(from: from, count: try PeerMessage.readBlockCount(&decoder))
        case .blockResponse: self = .blockResponse(try PeerMessage.readBlocks(&decoder))
        case .ping: self = .ping(try decoder.readUInt64("ping"))
        case .pong: self = .pong(try decoder.readUInt64("pong"))
        case .transactions:
            let count = Int(try decoder.readUInt32("transactions"))
            guard count <= PeerMessage.maxTransactionsPerMessage else {
                throw CanonicalDecodingError(
                    field: "transactions", reason: "count \(count) exceeds \(PeerMessage.maxTransactionsPerMessage)")
            }
            var transactions = [Transaction]()
            transactions.reserveCapacity(count)
            for _ in 0..<count {
                transactions.append(
                    try Transaction.decode(decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)))
            }
            self = .transactions(transactions)
        case .blobRequest, .blobChunk, .blobUnavailable: self = try PeerMessage.readBlobMessage(tag, &decoder)
        }
    }
}
