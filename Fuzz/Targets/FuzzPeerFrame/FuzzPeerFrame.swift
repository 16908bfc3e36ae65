import MedLedgerCore
@testable import MedLedgerNode
import NIOCore
import NIOEmbedded

/// The inbound byte stream of a peer connection, cut into reads of varying sizes: the
/// frame decoder refuses oversized prefixes and never traps, and each frame it delivers is
/// handed to the handshake and message decoders, as `PeerConnectionHandler` does.
///
/// Input layout: byte 0 picks the read size (16 * byte 0 + 1 bytes: 1 to 4081), the rest
/// is the stream.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzPeerFrame(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let first = bytes.first else { return 0 }
    let readSize = Int(first) * 16 + 1
    let stream = bytes.dropFirst()
    let channel = EmbeddedChannel(handler: ByteToMessageHandler(PeerFrameDecoder()))
    var start = stream.startIndex
    var frames = [ByteBuffer]()
    var failed = false
    while start < stream.endIndex && !failed {
        let end = min(start + readSize, stream.endIndex)
        do {
            try channel.writeInbound(ByteBuffer(bytes: stream[start..<end]))
            while let frame: ByteBuffer = try channel.readInbound() { frames.append(frame) }
        } catch {
            failed = true
        }
        start = end
    }
    _ = try? channel.finish()
    for frame in frames {
        precondition(frame.readableBytes <= PeerFrame.maxPayloadBytes, "frame over the limit was delivered")
        let payload = Array(frame.readableBytesView)
        _ = try? PeerHello.decode(canonical: payload)
        _ = try? PeerAuth.decode(canonical: payload)
        _ = try? PeerMessage.decode(canonical: payload)
    }
    return 0
}
