import NIOCore
import Testing
@testable import MedLedgerP2P

@Suite("Peer frame splitting")
struct PeerFrameTests {
    func frame(_ payload: [UInt8]) -> [UInt8] {
        withUnsafeBytes(of: UInt32(payload.count).bigEndian, Array.init) + payload
    }

    @Test func splitsFramesArrivingInPieces() throws {
        let stream = frame([1, 2, 3]) + frame([]) + frame([9])
        var buffer = ByteBuffer()
        var payloads = [[UInt8]]()
        for byte in stream {  // one byte per read, the worst case for the decoder
            buffer.writeInteger(byte)
            while let payload = try PeerFrameDecoder.nextPayload(&buffer) {
                payloads.append(Array(payload.readableBytesView))
            }
        }
        #expect(payloads == [[1, 2, 3], [], [9]])
        #expect(buffer.readableBytes == 0)
    }

    @Test func partialFrameConsumesNothing() throws {
        var buffer = ByteBuffer(bytes: frame([1, 2, 3]).dropLast())
        #expect(try PeerFrameDecoder.nextPayload(&buffer) == nil)
        #expect(buffer.readableBytes == 4 + 2)
    }

    @Test func oversizedPrefixIsRefusedBeforeTheBody() {
        var buffer = ByteBuffer(bytes: withUnsafeBytes(of: UInt32(PeerFrame.maxPayloadBytes + 1).bigEndian, Array.init))
        #expect(throws: PeerFrameError.self) { try PeerFrameDecoder.nextPayload(&buffer) }
        var largest = ByteBuffer(bytes: [0xff, 0xff, 0xff, 0xff])
        #expect(throws: PeerFrameError.self) { try PeerFrameDecoder.nextPayload(&largest) }
    }
}
