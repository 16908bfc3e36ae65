import MedLedgerCore
@testable import MedLedgerP2P
import NIOCore

/// The inbound byte stream of a peer connection, arriving in reads of varying sizes and
/// split as `PeerFrameDecoder` does (`nextPayload` on the accumulated bytes after each
/// read): oversized prefixes are refused, nothing traps, and each frame is handed to the
/// hello and message decoders, as `PeerConnectionHandler` does (behind TLS, which
/// hands it the same byte stream once decrypted).
///
/// Input layout: byte 0 picks the read size (16 * byte 0 + 1 bytes: 1 to 4081), the rest
/// is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerFrame(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let first = bytes.first else { return 0 }
    let readSize = Int(first) * 16 + 1
    let stream = bytes.dropFirst()
    var buffer = ByteBuffer()
    var frames = [ByteBuffer]()
    var start = stream.startIndex
    reading: while start < stream.endIndex {
        let end = min(start + readSize, stream.endIndex)
        buffer.writeBytes(stream[start..<end])
        start = end
        do {
            while let payload = try PeerFrameDecoder.nextPayload(&buffer) { frames.append(payload) }
        } catch {
            break reading  // the connection is closed
        }
    }
    for frame in frames {
        precondition(frame.readableBytes <= PeerFrame.maxPayloadBytes, "frame over the limit was delivered")
        let payload = Array(frame.readableBytesView)
        _ = try? PeerHello.decode(canonical: payload)
        _ = try? PeerMessage.decode(canonical: payload)
    }
    return 0
}
