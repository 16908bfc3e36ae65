import MedLedgerCore

/// An abstract block: a real `BlockHeader` (so commit certificates verify with
/// `CommitCertificate.problem`) over a payload of random bytes instead of transactions.
/// The header's transactions root is SHA-256 of the payload, its state root is the app
/// state before the block, and a Byzantine proposer marks a block invalid through the
/// results root, so the mark is covered by the block hash.
struct SimulatedBlock: Hashable, Sendable {
    static let invalidMark = Hash256.of(Array("medledger/sim/invalid-block".utf8))

    let header: BlockHeader
    let payload: [UInt8]
    /// The certificate of the previous block (nil for block 1); fixes this block's time.
    let lastCommit: CommitCertificate?
    let hash: Hash256

    init(header: BlockHeader, payload: [UInt8], lastCommit: CommitCertificate?) {
        self.header = header
        self.payload = payload
        self.lastCommit = lastCommit
        self.hash = header.hash
    }

    var height: Height { header.height }
    var isMarkedInvalid: Bool { header.resultsRoot == Self.invalidMark }
}
