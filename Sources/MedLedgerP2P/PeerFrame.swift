import MedLedgerCore
import NIOCore

/// The wire framing of the peer-to-peer protocol: a UInt32 big-endian payload length, then
/// the payload (a `PeerHello` or a canonical `PeerMessage`). Frames travel inside TLS.
public enum PeerFrame {
    /// Largest payload a frame may carry (16 MiB). The one place this limit lives: the
    /// decoder refuses a larger length prefix before reading any of the body, and senders
    /// refuse to build a larger frame.
    public static let maxPayloadBytes = Limits.peerFramePayloadMaxBytes

    /// Largest message a frame may carry (TLS adds no bytes to the frame itself).
    public static let maxMessageBytes = maxPayloadBytes

    /// Largest payload of the first frame of a connection (the hello, under a hundred bytes):
    /// a peer whose hello we have not accepted cannot make us buffer more.
    static let maxHandshakePayloadBytes = Limits.peerHandshakePayloadMaxBytes

    /// Bytes of the length prefix.
    static let headerBytes = 4

    /// A complete frame (prefix + payload) ready to write to a channel.
    static func buffer(payload: [UInt8], allocator: ByteBufferAllocator = ByteBufferAllocator()) -> ByteBuffer {
        precondition(payload.count <= maxPayloadBytes, "callers check the frame limit first")
        var buffer = allocator.buffer(capacity: headerBytes + payload.count)
        buffer.writeInteger(UInt32(payload.count), endianness: .big)
        buffer.writeBytes(payload)
        return buffer
    }
}

/// Why the byte stream from a peer could not be split into frames.
struct PeerFrameError: Error, CustomStringConvertible {
    let description: String
}

/// Splits the inbound byte stream into frame payloads (one `ByteBuffer` each).
///
/// A length prefix above `PeerFrame.maxPayloadBytes` throws as soon as the four prefix bytes
/// are in, so a hostile peer can never make us buffer a large body; the error reaches
/// `PeerConnectionHandler`, which logs it and closes the connection.
struct PeerFrameDecoder: ByteToMessageDecoder {
    typealias InboundOut = ByteBuffer

    /// Frames decoded so far: the first is the hello, with a small limit.
    private var framesDecoded = 0

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        let limit = framesDecoded < 1 ? PeerFrame.maxHandshakePayloadBytes : PeerFrame.maxPayloadBytes
        guard let payload = try Self.nextPayload(&buffer, limit: limit) else { return .needMoreData }
        framesDecoded += 1
        context.fireChannelRead(Self.wrapInboundOut(payload))
        return .continue
    }

    /// Takes the next whole frame's payload off `buffer`, or returns nil (consuming nothing)
    /// when the frame is not all in yet. Pure, so it is tested and fuzzed without a channel.
    /// - Parameter limit: the largest payload allowed for this frame (smaller during the handshake).
    /// - Throws: `PeerFrameError` as soon as a length prefix over the limit is in.
    static func nextPayload(
        _ buffer: inout ByteBuffer,
        limit: Int = PeerFrame.maxPayloadBytes
    ) throws(PeerFrameError) -> ByteBuffer? {
        precondition(limit <= PeerFrame.maxPayloadBytes)
        guard let length = buffer.getInteger(at: buffer.readerIndex, endianness: .big, as: UInt32.self) else {
            return nil
        }
        guard length <= UInt32(limit) else {
            throw PeerFrameError(description: "frame length \(length) exceeds limit \(limit)")
        }
        guard buffer.readableBytes >= PeerFrame.headerBytes + Int(length) else { return nil }
        buffer.moveReaderIndex(forwardBy: PeerFrame.headerBytes)
        return buffer.readSlice(length: Int(length))
    }

    mutating func decodeLast(
        context: ChannelHandlerContext, buffer: inout ByteBuffer,
        seenEOF: Bool
    ) throws -> DecodingState {
        // Deliver whole frames still buffered; a trailing partial frame is simply dropped,
        // the connection is closing anyway.
        try decode(context: context, buffer: &buffer)
    }
}
