import Foundation
import Testing
import MedLedgerCore

/// Compares canonical bytes against the files in `Vectors/`. A failure here means the wire
/// format changed: every signature, block hash and genesis hash in existence would change too.
/// Regenerate (only for a deliberate format change) with
/// `MEDLEDGER_WRITE_VECTORS=1 swift test --filter GoldenVectorTests`.
@Suite struct GoldenVectorTests {
    @Test(arguments: GoldenFixtures.all.map(\.file))
    func canonicalBytesMatchPinnedVector(file: String) throws {
        let fixture = try #require(GoldenFixtures.all.first { $0.file == file })
        let vector = try Vectors.load(file)
        #expect(Hex.encode(fixture.bytes) == vector.hex, "canonical bytes of \(file) changed")
        #expect(fixture.hash?.hex == vector.sha256, "hash of \(file) changed")
        if let hash = fixture.hash {
            #expect(Hash256.of(fixture.bytes) == hash)
        }
    }

    @Test func vectorsDecodeBackToTheFixtures() throws {
        let header = try BlockHeader.decode(canonical: try #require(Hex.decode(Vectors.load("block-header").hex)))
        #expect(header == GoldenFixtures.blockHeader)
        #expect(header.hash.hex == (try Vectors.load("block-header").sha256))

        let genesis = try Genesis.decode(canonical: try #require(Hex.decode(Vectors.load("genesis").hex)))
        #expect(genesis == GoldenFixtures.genesis)
        let stored = try Genesis.decode(canonical: try #require(Hex.decode(Vectors.load("genesis-storage").hex)))
        #expect(stored == GoldenFixtures.genesisWithStorage)
        let attest = try TransactionPayload.decode(
            canonical: try #require(Hex.decode(Vectors.load("attest-blobs").hex)))
        #expect(attest == GoldenFixtures.attestBlobsPayload)

        let envelope = try KeyEnvelope.decode(canonical: try #require(Hex.decode(Vectors.load("key-envelope").hex)))
        #expect(envelope == GoldenFixtures.keyEnvelope)

        let content = try ReportContent.decode(canonical: try #require(Hex.decode(Vectors.load("report-content").hex)))
        #expect(content == GoldenFixtures.reportContent)

        let accepted = try TransactionReceipt.decode(
            canonical: try #require(Hex.decode(Vectors.load("receipt-accepted").hex)))
        #expect(accepted == GoldenFixtures.acceptedReceipt)
        let rejected = try TransactionReceipt.decode(
            canonical: try #require(Hex.decode(Vectors.load("receipt-rejected").hex)))
        #expect(rejected == GoldenFixtures.rejectedReceipt)
        let stale = try TransactionReceipt.decode(
            canonical: try #require(Hex.decode(Vectors.load("receipt-stale-nonce").hex)))
        #expect(stale == GoldenFixtures.staleNonceReceipt)
        #expect(
            Merkle.root(leaves: [accepted, rejected, stale].map(\.hash.bytes)).hex
                == (try Vectors.load("results-root").hex))

        for (name, scope) in GoldenFixtures.grantScopes {
            let decoded = try GrantScope.decode(
                canonical: try #require(Hex.decode(Vectors.load("grant-scope-\(name)").hex)))
            #expect(decoded == scope)
        }
    }

    /// The pinned signing bytes, signed now, give a transaction that decodes and verifies.
    @Test func pinnedSigningBytesAreWhatTheSignerSigns() throws {
        let pinned = try #require(Hex.decode(Vectors.load("transaction-signing-bytes").hex))
        let tx = Transaction(
            chainID: GoldenFixtures.chainID, signer: GoldenFixtures.authorKeys.identityID,
            keys: GoldenFixtures.authorKeys, nonce: 7, payload: GoldenFixtures.submitPayload)
        #expect(tx.signingBytes == pinned)
        #expect(tx.hasValidSignature)
        #expect(GoldenFixtures.authorKeys.publicSigningKey.isValidSignature(tx.signature, for: pinned))
        let decoded = try Transaction.decode(tx.encoded)
        #expect(decoded == tx)
        #expect(decoded.payload == GoldenFixtures.submitPayload)
    }

    /// Hand-checked layout of the pinned grant scopes (tag byte, then a u32 count, then items).
    @Test func grantScopeVectorsHaveTheDocumentedLayout() throws {
        #expect(try Vectors.load("grant-scope-all-reports").hex == "01")
        let ids = "000102030405060708090a0b0c0d0e0f" + "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff"
        #expect(try Vectors.load("grant-scope-reports").hex == "02" + "00000002" + ids)
        // "LAB" = 4c4142, "11502-2" = 31313530322d32, each a u32 length then UTF-8
        #expect(
            try Vectors.load("grant-scope-categories").hex
                == "03" + "00000002" + "00000003" + "4c4142" + "00000007" + "31313530322d32")
    }

    /// Hand-checked layout of a receipt: code (u16), u32 fact count, each fact a tag byte and
    /// its value, then u32 event count. No text anywhere.
    @Test func receiptVectorHasTheDocumentedLayout() throws {
        #expect(
            try Vectors.load("receipt-stale-nonce").hex
                == "0067" + "00000002" + "0d" + "0000000000000005" + "0e" + "0000000000000007" + "00000000")
        let rejected = try Vectors.load("receipt-rejected").hex
        let reader = GoldenFixtures.authorKeys.identityID.hex
        let report = GoldenFixtures.reportID.hex
        #expect(
            rejected.hasPrefix(
                "00cc" + "00000004" + "03" + reader + "07" + report + "08" + "00000001" + "0c" + "01"
                    + "00000001" + "05"))
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["MEDLEDGER_WRITE_VECTORS"] == "1"))
    func regenerateVectors() throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        try FileManager.default.createDirectory(at: Vectors.sourceFolder, withIntermediateDirectories: true)
        for fixture in GoldenFixtures.all {
            let vector = GoldenVector(
                description: fixture.description, hex: Hex.encode(fixture.bytes),
                sha256: fixture.hash?.hex)
            try (encoder.encode(vector) + Data("\n".utf8))
                .write(to: Vectors.sourceFolder.appendingPathComponent("\(fixture.file).json"))
        }
    }
}
