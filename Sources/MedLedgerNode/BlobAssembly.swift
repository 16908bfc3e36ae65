import MedLedgerCore
import MedLedgerP2P

/// One blob being put together from a peer's chunks: accepts exactly the next chunk of the
/// size the ledger declares, and hands out the bytes only when they hash to the address.
/// A pure value, so the transfer rules are tested without sockets.
struct BlobAssembly {
    enum Refusal: Error, Equatable, CustomStringConvertible {
        case wrongChunk(offset: UInt32, bytes: Int, totalBytes: UInt32, expectedOffset: Int, expectedBytes: Int)
        case sizeDiffersFromLedger(totalBytes: UInt32, declared: Int)
        case hashMismatch(Hash256)

        var description: String {
            switch self {
            case .wrongChunk(let offset, let bytes, _, let expectedOffset, let expectedBytes):
                "chunk of \(bytes) bytes at \(offset), expected \(expectedBytes) bytes at \(expectedOffset)"
            case .sizeDiffersFromLedger(let total, let declared):
                "blob of \(total) bytes, the ledger declares \(declared)"
            case .hashMismatch(let actual): "bytes hash to \(actual)"
            }
        }
    }

    let need: BlobNeed
    private(set) var bytes: [UInt8] = []

    init(_ need: BlobNeed) {
        precondition(need.sizeBytes > 0 && need.sizeBytes <= Limits.blobMaxBytes, "a declared size within limits")
        self.need = need
        bytes.reserveCapacity(need.sizeBytes)
    }

    var isComplete: Bool { bytes.count == need.sizeBytes }
    /// Where the next chunk starts.
    var nextOffset: UInt32 { UInt32(bytes.count) }

    /// Appends the next chunk, or refuses it (the transfer from that peer is then over).
    mutating func accept(_ chunk: BlobChunk) throws(Refusal) {
        precondition(!isComplete, "no chunk after the last")
        guard Int(chunk.totalBytes) == need.sizeBytes else {
            throw .sizeDiffersFromLedger(totalBytes: chunk.totalBytes, declared: need.sizeBytes)
        }
        let expected = min(Limits.blobChunkMaxBytes, need.sizeBytes - bytes.count)
        guard chunk.address == need.address, Int(chunk.offset) == bytes.count, chunk.bytes.count == expected else {
            throw .wrongChunk(
                offset: chunk.offset, bytes: chunk.bytes.count, totalBytes: chunk.totalBytes,
                expectedOffset: bytes.count, expectedBytes: expected)
        }
        bytes.append(contentsOf: chunk.bytes)
        precondition(bytes.count <= need.sizeBytes, "never more than declared")
    }

    /// The whole blob, once it hashes to its address.
    func verified() throws(Refusal) -> [UInt8] {
        precondition(isComplete, "verify a whole blob")
        let actual = Hash256.of(bytes)
        guard actual == need.address else { throw .hashMismatch(actual) }
        return bytes
    }
}
