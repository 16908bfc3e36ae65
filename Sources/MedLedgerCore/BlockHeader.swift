/// What a block hash commits to. Signatures are never inside: the commit certificate that
/// finalizes a block is kept beside it.
public struct BlockHeader: Hashable, Sendable, CanonicalCodable {
    public static let domainTag = "medledger/block/v1"

    public let chainID: String
    public let height: Height
    /// Consensus time of the block; the contracts' only clock.
    public let time: ConsensusTime
    public let previousBlockHash: Hash256
    /// Hash of the commit certificate of the previous block, which this block carries (its
    /// precommit times fix this block's time); zero for block 1.
    public let lastCommitHash: Hash256
    /// RFC 6962 root over the transactions' hashes, in block order.
    public let transactionsRoot: Hash256
    /// RFC 6962 root over the hashes of the transactions' receipts, in block order.
    public let resultsRoot: Hash256
    /// Root of the contract state after executing this block.
    public let stateRoot: Hash256
    /// Hash of the validator set that must sign this block's commit.
    public let validatorsHash: Hash256
    public let proposer: IdentityID

    public init(
        chainID: String, height: Height, time: ConsensusTime, previousBlockHash: Hash256,
        lastCommitHash: Hash256, transactionsRoot: Hash256, resultsRoot: Hash256, stateRoot: Hash256,
        validatorsHash: Hash256, proposer: IdentityID
    ) {
        precondition(height >= 1, "height 0 is the genesis, which has no header")
        self.chainID = chainID
        self.height = height
        self.time = time
        self.previousBlockHash = previousBlockHash
        self.lastCommitHash = lastCommitHash
        self.transactionsRoot = transactionsRoot
        self.resultsRoot = resultsRoot
        self.stateRoot = stateRoot
        self.validatorsHash = validatorsHash
        self.proposer = proposer
    }

    /// The block's id.
    public var hash: Hash256 { Hash256.of(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(Self.domainTag)
        encoder.write(chainID)
        encoder.write(height)
        encoder.write(time)
        encoder.write(previousBlockHash)
        encoder.write(lastCommitHash)
        encoder.write(transactionsRoot)
        encoder.write(resultsRoot)
        encoder.write(stateRoot)
        encoder.write(validatorsHash)
        encoder.write(proposer)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        guard try decoder.readString("domainTag", maxBytes: 32) == Self.domainTag else {
            throw CanonicalDecodingError(field: "domainTag", reason: "expected \(Self.domainTag)")
        }
        chainID = try decoder.readString("chainID", maxBytes: Limits.chainIDMaxBytes)
        height = try decoder.read(Height.self)
        guard height >= 1 else { throw CanonicalDecodingError(field: "height", reason: "must be at least 1") }
        time = try decoder.read(ConsensusTime.self)
        previousBlockHash = try decoder.read(Hash256.self)
        lastCommitHash = try decoder.read(Hash256.self)
        transactionsRoot = try decoder.read(Hash256.self)
        resultsRoot = try decoder.read(Hash256.self)
        stateRoot = try decoder.read(Hash256.self)
        validatorsHash = try decoder.read(Hash256.self)
        proposer = try decoder.read(IdentityID.self)
    }
}

/// A header, the previous block's commit certificate, and the transactions.
public struct Block: Hashable, Sendable {
    public let header: BlockHeader
    /// The certificate that finalized the previous block (nil for block 1).
    public let lastCommit: CommitCertificate?
    public let transactions: [Transaction]

    public init(header: BlockHeader, lastCommit: CommitCertificate?, transactions: [Transaction]) {
        precondition(transactions.count <= Limits.blockMaxTransactions, "block over the transaction limit")
        precondition((lastCommit == nil) == (header.height == 1), "every block but the first carries the last commit")
        self.header = header
        self.lastCommit = lastCommit
        self.transactions = transactions
    }

    /// The consensus time block `height` must carry: the genesis time for block 1, else the
    /// weighted median of the previous block's precommit times.
    public static func expectedTime(
        height: Height, genesisTime: ConsensusTime, lastCommit: CommitCertificate?,
        validators: ValidatorSet
    ) -> ConsensusTime {
        guard height > 1, let lastCommit else { return genesisTime }
        return lastCommit.medianTime(validators: validators)
    }

    /// Encoded size of the transactions with their length prefixes: what
    /// `Limits.blockTransactionsMaxBytes` bounds.
    public static func transactionsByteCount(_ transactions: [Transaction]) -> Int {
        transactions.reduce(0) { $0 + $1.encoded.count + 4 }
    }

    /// Hash of an optional last commit as the header records it.
    public static func lastCommitHash(_ lastCommit: CommitCertificate?) -> Hash256 { lastCommit?.hash ?? .zero }

    public var hash: Hash256 { header.hash }

    /// The last commit, then the transactions, each length-prefixed, as stored and sent.
    public var encodedBody: [UInt8] {
        var encoder = CanonicalEncoder(capacity: transactions.reduce(256) { $0 + $1.encoded.count + 4 })
        encoder.write(optional: lastCommit)
        encoder.write(UInt32(transactions.count))
        for transaction in transactions { encoder.write(bytes: transaction.encoded) }
        return encoder.bytes
    }

    public static func decodeBody(_ bytes: [UInt8]) throws(CanonicalDecodingError) -> (
        CommitCertificate?, [Transaction]
    ) {
        var decoder = CanonicalDecoder(bytes)
        let lastCommit = try decoder.readOptional(CommitCertificate.self, "lastCommit")
        let count = Int(try decoder.readUInt32("transactions"))
        guard count <= Limits.blockMaxTransactions else {
            throw CanonicalDecodingError(field: "transactions", reason: "count \(count) exceeds limit")
        }
        var transactions = [Transaction]()
        transactions.reserveCapacity(count)
        for _ in 0..<count {
            transactions.append(
                try Transaction.decode(decoder.readBytes("transaction", maxCount: Limits.transactionMaxBytes)))
        }
        try decoder.finish()
        return (lastCommit, transactions)
    }

    /// Inclusion proof of the transaction at `index` against `header.transactionsRoot`.
    public func inclusionProof(index: Int) -> MerkleProof {
        Merkle.proof(leafHashes: transactions.map { Merkle.leafHash($0.hash.bytes) }, index: index)
    }

    public static func transactionsRoot(_ transactions: [Transaction]) -> Hash256 {
        Merkle.root(leaves: transactions.map(\.hash.bytes))
    }
}
