import MedLedgerCore

/// One piece of a blob in transit. A transfer is driven by the receiver, one request per
/// chunk, so a peer can never make us buffer more than we asked for; the receiver checks
/// `totalBytes` against the size the ledger declares and the whole blob against its address.
public struct BlobChunk: Hashable, Sendable {
    public let address: Hash256
    public let offset: UInt32
    /// The whole blob's size, as the sender has it.
    public let totalBytes: UInt32
    /// At most `Limits.blobChunkMaxBytes`.
    public let bytes: [UInt8]

    public init(address: Hash256, offset: UInt32, totalBytes: UInt32, bytes: [UInt8]) {
        precondition(bytes.count <= Limits.blobChunkMaxBytes, "a chunk fits its limit")
        self.address = address
        self.offset = offset
        self.totalBytes = totalBytes
        self.bytes = bytes
    }
}

extension PeerMessage {
    /// Whether the replicator (not consensus) handles this message.
    public var isBlobMessage: Bool {
        switch self {
        case .blobRequest, .blobChunk, .blobUnavailable: true
        default: false
        }
    }

    func encodeBlobMessage(to encoder: inout CanonicalEncoder) {
        switch self {
        case .blobRequest(let address, let offset):
            encoder.write(Tag.blobRequest.rawValue)
            encoder.write(address)
            encoder.write(offset)
        case .blobChunk(let chunk):
            encoder.write(Tag.blobChunk.rawValue)
            encoder.write(chunk.address)
            encoder.write(chunk.offset)
            encoder.write(chunk.totalBytes)
            encoder.write(bytes: chunk.bytes)
        case .blobUnavailable(let address):
            encoder.write(Tag.blobUnavailable.rawValue)
            encoder.write(address)
        default: preconditionFailure("not a blob message: \(kind)")
        }
    }

    static func readBlobMessage(_ tag: Tag, _ decoder: inout CanonicalDecoder) throws(CanonicalDecodingError)
        -> PeerMessage
    {
        switch tag {
        case .blobRequest:
            let address = try decoder.read(Hash256.self)
            return .blobRequest(address: address, offset: try decoder.readUInt32("blobRequest.offset"))
        case .blobChunk:
            let address = try decoder.read(Hash256.self)
            let offset = try decoder.readUInt32("blobChunk.offset")
            let total = try decoder.readUInt32("blobChunk.totalBytes")
            let bytes = try decoder.readBytes("blobChunk.bytes", maxCount: Limits.blobChunkMaxBytes)
            guard total <= Limits.blobMaxBytes, UInt64(offset) + UInt64(bytes.count) <= UInt64(total) else {
                throw CanonicalDecodingError(
                    field: "blobChunk", reason: "chunk at \(offset)+\(bytes.count) exceeds blob size \(total)")
            }
            return .blobChunk(BlobChunk(address: address, offset: offset, totalBytes: total, bytes: bytes))
        case .blobUnavailable:
            return .blobUnavailable(address: try decoder.read(Hash256.self))
        default:
            throw CanonicalDecodingError(field: "peerMessage", reason: "tag \(tag.rawValue) is not a blob message")
        }
    }
}
