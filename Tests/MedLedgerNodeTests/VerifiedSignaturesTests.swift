import MedLedgerCore
import MedLedgerTesting
import MetricsTestKit
import Testing

@testable import MedLedgerNode

/// A transaction that reaches a node both in a peer's block and by gossip has its signature
/// verified once, whichever comes first (see `VerifiedSignatures`).
@Suite struct VerifiedSignaturesTests {
    static let chainID = TestNode.chainID

    /// Self-registrations, each signed by its own new patient.
    static func registrations(_ count: Int, prefix: String) -> [Transaction] {
        (0..<count).map { index in
            let patient = TestNode.person("\(prefix)-\(index)")
            return Transaction(
                chainID: chainID, signer: patient.id, keys: patient.keys, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: patient.keys)))
        }
    }

    static func forged(_ tx: Transaction) throws -> Transaction {
        var bytes = tx.encoded
        bytes[bytes.count - 1] ^= 1  // the signature is the encoding's last 64 bytes
        return try Transaction.decode(bytes)
    }

    @Test func aValidSignatureIsVerifiedOnceAndAForgedOneEveryTime() throws {
        let cache = VerifiedSignatures()
        let tx = Self.registrations(1, prefix: "once")[0]
        let forged = try Self.forged(tx)
        #expect(cache.isValid(tx) == (valid: true, verified: true))
        #expect(cache.isValid(tx) == (valid: true, verified: false))
        #expect(cache.isValid(forged) == (valid: false, verified: true))
        #expect(cache.isValid(forged) == (valid: false, verified: true), "a forgery is never remembered")
        let (valid, verified) = cache.validOnes([forged, tx])
        #expect(valid == [tx] && verified == 1)
    }

    /// A batch is looked up and remembered as a whole: what was verified before is not
    /// verified again, a repeat within the batch is verified once, a forgery is dropped and
    /// never remembered, and the order of the valid ones is kept.
    @Test func aBatchVerifiesEachNewSignatureOnceAndKeepsItsOrder() throws {
        let cache = VerifiedSignatures()
        let txs = Self.registrations(3, prefix: "batch")
        let forged = try Self.forged(txs[2])
        #expect(cache.isValid(txs[0]) == (valid: true, verified: true))
        let (valid, verified) = cache.validOnes([txs[1], forged, txs[0], txs[1], txs[2]])
        #expect(valid == [txs[1], txs[0], txs[1], txs[2]])
        #expect(verified == 3, "txs[1] once, the forgery, txs[2]; txs[0] was known")
        #expect(cache.count == 3 && !cache.contains(forged.hash))
        #expect(cache.validOnes(txs) == (valid: txs, verified: 0))
    }

    /// A batch longer than a chunk: order kept, a repeat in a later chunk not verified
    /// again, a forgery in the middle dropped, and every valid one remembered.
    @Test func aBatchOfSeveralChunksVerifiesEachSignatureOnce() throws {
        let cache = VerifiedSignatures()
        let size = VerifiedSignatures.chunkSize
        let txs = Self.registrations(2 * size + 3, prefix: "chunks")
        let forged = try Self.forged(txs[size])
        var batch = txs
        batch[size] = forged
        batch.append(txs[0])
        let (valid, verified) = cache.validOnes(batch)
        #expect(valid == batch.filter { $0 != forged })
        #expect(verified == txs.count, "each distinct transaction once, the forgery among them")
        #expect(cache.count == txs.count - 1 && !cache.contains(forged.hash))
    }

    @Test func theOldestHashGoesFirstOnceTheCacheIsFull() {
        let cache = VerifiedSignatures(capacity: 2)
        let txs = Self.registrations(3, prefix: "ring")
        for tx in txs { _ = cache.isValid(tx) }
        #expect(cache.count == 2)
        #expect(!cache.contains(txs[0].hash) && cache.contains(txs[1].hash) && cache.contains(txs[2].hash))
        #expect(cache.isValid(txs[0]) == (valid: true, verified: true), "forgotten, so verified again")
        #expect(!cache.contains(txs[1].hash))
    }

    /// The proposer's block reaches a peer before the gossip of its transactions: the block
    /// check verifies them, and the late gossip check finds them done. Then the other way
    /// round, on a second peer: gossip first, and the block check verifies nothing.
    @Test func aBlockAndTheGossipOfItsTransactionsAreVerifiedOnceBetweenThem() async throws {
        let proposer = try TestNode.make()
        defer { proposer.remove() }
        let transactions = Self.registrations(5, prefix: "both-ways")
        for tx in transactions { try await proposer.node.submit(tx) }
        let block = await proposer.node.buildNextBlock().block
        #expect(block.transactions.count == 5)

        let blockFirstMetrics = TestMetrics()
        let blockFirst = try TestNode.make(metrics: NodeMetrics(factory: blockFirstMetrics))
        defer { blockFirst.remove() }
        guard case .success = await blockFirst.node.executeProposed(block) else {
            Issue.record("the peer refused the proposer's block")
            return
        }
        #expect(try Self.checks(blockFirstMetrics, "block") == 5)
        let lateGossip = blockFirst.node.verifiedSignatures.validOnes(transactions)
        #expect(lateGossip.valid == transactions && lateGossip.verified == 0)

        let gossipFirstMetrics = TestMetrics()
        let gossipFirst = try TestNode.make(metrics: NodeMetrics(factory: gossipFirstMetrics))
        defer { gossipFirst.remove() }
        let earlyGossip = gossipFirst.node.verifiedSignatures.validOnes(transactions)
        #expect(earlyGossip.verified == 5)
        guard case .success = await gossipFirst.node.executeProposed(block) else {
            Issue.record("the peer refused the proposer's block")
            return
        }
        #expect(try Self.checks(gossipFirstMetrics, "block") == 0)
    }

    static func checks(_ metrics: TestMetrics, _ path: String) throws -> Int64 {
        try metrics.expectCounter(NodeMetrics.signatureChecksLabel, [("path", path)]).totalValue
    }
}
