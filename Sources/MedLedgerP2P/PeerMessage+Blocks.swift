import MedLedgerCore

/// How blocks travel inside `PeerMessage`: the header's canonical bytes and
/// `Block.encodedBody`, each length-prefixed, exactly as the node stores them.
extension PeerMessage {
    /// Longest header encoding accepted (a real one is under 400 bytes).
    static let headerMaxBytes = Limits.blockHeaderMaxBytes

    static func write(block: Block, to encoder: inout CanonicalEncoder) {
        encoder.write(bytes: block.header.canonicalBytes)
        encoder.write(bytes: block.encodedBody)
    }

    static func readBlock(_ decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) -> Block {
        let header = try BlockHeader.decode(canonical: decoder.readBytes("block.header", maxCount: headerMaxBytes))
        let (lastCommit, transactions) = try Block.decodeBody(
            decoder.readBytes("block.body", maxCount: Limits.blockMaxBytes))
        // `Block.init` enforces this with a precondition; check first so bad input throws.
        guard (lastCommit == nil) == (header.height == 1) else {
            throw CanonicalDecodingError(
                field: "block.lastCommit",
                reason: "block \(header.height) must carry a last commit iff it is not block 1")
        }
        return Block(header: header, lastCommit: lastCommit, transactions: transactions)
    }

    static func readBlockCount(_ decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) -> UInt32 {
        let count = try decoder.readUInt32("count")
        guard count <= maxBlocksPerRequest else {
            throw CanonicalDecodingError(field: "count", reason: "\(count) exceeds limit \(maxBlocksPerRequest)")
        }
        return count
    }

    static func readBlocks(_ decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) -> [(
        Block, CommitCertificate
    )] {
        let count = try readBlockCount(&decoder)
        var blocks = [(Block, CommitCertificate)]()
        blocks.reserveCapacity(Int(count))
        for _ in 0..<count {
            let block = try readBlock(&decoder)
            blocks.append((block, try decoder.read(CommitCertificate.self)))
        }
        return blocks
    }
}
