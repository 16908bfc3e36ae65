import MedLedgerCore

/// Block bodies (the last commit and the transactions) as peers send them and as the store
/// reads them back: `Block.decodeBody` throws, never traps; an accepted body makes a `Block`
/// whose `encodedBody` is the same bytes.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzBlockBody(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let (lastCommit, transactions) = try? Block.decodeBody(bytes) else { return 0 }
    let header = BlockHeader(
        chainID: "fuzz", height: lastCommit == nil ? 1 : 2, time: ConsensusTime(milliseconds: 0),
        previousBlockHash: .zero, lastCommitHash: Block.lastCommitHash(lastCommit),
        transactionsRoot: Block.transactionsRoot(transactions), resultsRoot: .zero,
        stateRoot: .zero, validatorsHash: .zero, proposer: IdentityID(hash: .zero))
    let block = Block(header: header, lastCommit: lastCommit, transactions: transactions)
    precondition(block.encodedBody == bytes, "accepted a non-canonical block body")
    if !transactions.isEmpty { _ = block.inclusionProof(index: transactions.count - 1) }
    return 0
}
