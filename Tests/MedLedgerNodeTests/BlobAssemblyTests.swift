import MedLedgerCore
@testable import MedLedgerNode
import MedLedgerP2P
import Testing

/// The receiving side of a blob transfer: only the declared size, chunk by chunk, and only
/// bytes that hash to the address.
@Suite struct BlobAssemblyTests {
    let blob = (0..<(Limits.blobChunkMaxBytes + 100)).map { UInt8(truncatingIfNeeded: $0) }
    let organization = IdentityID(hash: Hash256.of([7]))

    func need(size: Int? = nil, address: Hash256? = nil) -> BlobNeed {
        BlobNeed(
            content: ReportContent.sample(address: address ?? Hash256.of(blob), sizeBytes: UInt64(size ?? blob.count)),
            organization: organization)
    }

    func chunk(_ bytes: [UInt8], at offset: Int, total: Int? = nil, address: Hash256? = nil) -> BlobChunk {
        BlobChunk(
            address: address ?? Hash256.of(blob), offset: UInt32(offset), totalBytes: UInt32(total ?? blob.count),
            bytes: bytes)
    }

    @Test func chunksOfTheDeclaredBlobAssembleAndVerify() throws {
        var assembly = BlobAssembly(need())
        try assembly.accept(chunk(Array(blob[0..<Limits.blobChunkMaxBytes]), at: 0))
        #expect(!assembly.isComplete && assembly.nextOffset == UInt32(Limits.blobChunkMaxBytes))
        try assembly.accept(chunk(Array(blob[Limits.blobChunkMaxBytes...]), at: Limits.blobChunkMaxBytes))
        #expect(try assembly.verified() == blob)
    }

    @Test func bytesThatDoNotHashToTheAddressAreRefused() throws {
        var forged = blob
        forged[5] ^= 1
        var assembly = BlobAssembly(need())
        try assembly.accept(chunk(Array(forged[0..<Limits.blobChunkMaxBytes]), at: 0))
        try assembly.accept(chunk(Array(forged[Limits.blobChunkMaxBytes...]), at: Limits.blobChunkMaxBytes))
        #expect(throws: BlobAssembly.Refusal.hashMismatch(Hash256.of(forged))) { _ = try assembly.verified() }
    }

    @Test func aBlobLargerThanTheLedgerDeclaresIsRefusedAtItsFirstChunk() {
        var assembly = BlobAssembly(need(size: 10))
        #expect(throws: BlobAssembly.Refusal.sizeDiffersFromLedger(totalBytes: UInt32(blob.count), declared: 10)) {
            try assembly.accept(chunk(Array(blob[0..<10]), at: 0))
        }
        #expect(assembly.bytes.isEmpty)
    }

    @Test func chunksOutOfOrderShortOrForAnotherBlobAreRefused() throws {
        var assembly = BlobAssembly(need())
        #expect(throws: BlobAssembly.Refusal.self) { try assembly.accept(chunk([1, 2, 3], at: 0)) }
        #expect(throws: BlobAssembly.Refusal.self) {
            try assembly.accept(chunk(Array(blob[0..<Limits.blobChunkMaxBytes]), at: 100))
        }
        #expect(throws: BlobAssembly.Refusal.self) {
            try assembly.accept(chunk(Array(blob[0..<Limits.blobChunkMaxBytes]), at: 0, address: Hash256.of([0])))
        }
        #expect(assembly.bytes.isEmpty, "nothing refused was kept")
    }
}

extension ReportContent {
    static func sample(address: Hash256, sizeBytes: UInt64) -> ReportContent {
        ReportContent(
            contentAddress: address, sizeBytes: sizeBytes, commitment: Hash256.of([0]), encryptedMetadata: [1],
            envelopes: [], shareCommitments: [])
    }
}
