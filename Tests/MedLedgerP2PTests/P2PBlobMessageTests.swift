import Foundation
import MedLedgerCore
@testable import MedLedgerP2P
import MedLedgerTesting
import Testing

/// Blob transfer messages: their encoding, the decoder's limits, and their own queue.
@Suite struct P2PBlobMessageTests {
    let address = Hash256.of([1, 2, 3])

    @Test func blobMessagesRoundTrip() throws {
        for message: PeerMessage in [
            .blobRequest(address: address, offset: 1_048_576),
            .blobChunk(BlobChunk(address: address, offset: 4, totalBytes: 10, bytes: [9, 8, 7, 6, 5, 4])),
            .blobUnavailable(address: address),
        ] {
            let decoded = try PeerMessage.decode(canonical: message.canonicalBytes)
            #expect(decoded.canonicalBytes == message.canonicalBytes)
            #expect(decoded.isBlobMessage && decoded.kind == message.kind)
        }
        #expect(!PeerMessage.ping(1).isBlobMessage)
    }

    /// Bytes of a chunk message with any lengths, as a hostile peer could send them.
    func chunkBytes(offset: UInt32, total: UInt32, length: UInt32, body: Int) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(PeerMessage.Tag.blobChunk.rawValue)
        encoder.write(address)
        encoder.write(offset)
        encoder.write(total)
        encoder.write(length)
        encoder.write(fixed: [UInt8](repeating: 0xAB, count: body))
        return encoder.bytes
    }

    @Test func chunkOverTheChunkLimitIsRefusedBeforeItsBytesAreRead() {
        let over = UInt32(Limits.blobChunkMaxBytes + 1)
        let bytes = chunkBytes(offset: 0, total: over, length: over, body: 16)
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: bytes) }
    }

    @Test func chunkPastItsBlobsEndOrABlobOverTheLimitIsRefused() {
        let pastEnd = chunkBytes(offset: 8, total: 10, length: 4, body: 4)
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: pastEnd) }
        let huge = chunkBytes(offset: 0, total: UInt32(Limits.blobMaxBytes + 1), length: 4, body: 4)
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: huge) }
        let fits = chunkBytes(offset: 6, total: 10, length: 4, body: 4)
        #expect((try? PeerMessage.decode(canonical: fits))?.isBlobMessage == true)
    }

    /// Chunks go to `blobInbound`, so a transfer can never push votes out of `inbound`.
    @Test func blobMessagesArriveOnTheirOwnQueue() async throws {
        let cluster = try P2PCluster.make(count: 2, seedPrefix: "p2p-blob")
        try await cluster.startAll()
        defer { Task { await cluster.stopAll() } }
        #expect(await eventually { cluster.fullyConnected() })
        let consensus = P2PInbox(cluster.nodes[1])
        let blobs = Task { () -> (IdentityID, PeerMessage)? in
            for await item in cluster.nodes[1].blobInbound { return item }
            return nil
        }
        #expect(cluster.nodes[0].send(.blobRequest(address: address, offset: 0), to: cluster.id(1)))
        #expect(cluster.nodes[0].send(.statusRequest, to: cluster.id(1)))
        let received = await blobs.value
        #expect(received?.0 == cluster.id(0))
        guard case .blobRequest(let got, 0)? = received?.1 else {
            Issue.record("expected the blob request, got \(String(describing: received?.1.kind))")
            return
        }
        #expect(got == address)
        let until = Date().addingTimeInterval(5)
        while consensus.messages.isEmpty, Date() < until { try await Task.sleep(nanoseconds: 20_000_000) }
        #expect(consensus.messages.map(\.1.kind) == ["status-request"])
        #expect(!consensus.messages.contains { $0.1.isBlobMessage }, "a blob message reached the consensus queue")
    }
}
