import Foundation
import MedLedgerP2P
import MedLedgerClient
import Testing
import MedLedgerCore
import MedLedgerContracts
@testable import MedLedgerNode
import MedLedgerTesting

/// Issue 6.2: a few hundred large transactions, admitted together, used to make a block
/// body over `Limits.blockMaxBytes` that every peer refused, halting the chain for good.
@Suite struct BlockSizeLimitTests {
    /// A submit-report of about 44 KB: the largest envelopes and metadata the decoder allows.
    @Test func builderStopsAtTheByteLimitAndTheRestFollowInTheNextBlock() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patients = (0..<200).map { TestNode.person("flood-\($0)") }
        for patient in patients {
            try await net.node.submit(
                await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys))))
        }
        try await net.seal()
        var hashes = [Hash256]()
        for (index, patient) in patients.enumerated() {
            hashes.append(
                try await net.node.submit(
                    await net.transaction(patient, LargePayloads.submission(by: patient, index: index))))
        }
        let executed = await net.node.buildNextBlock()
        #expect(throws: Never.self) { try BlockValidator.checkSize(executed.block.transactions, height: 2) }
        #expect(executed.block.transactions.count < patients.count, "200 × 44 KB cannot fit one block")
        #expect(executed.block.encodedBody.count <= Limits.blockMaxBytes)
        try await net.seal()
        try await net.seal()
        for hash in hashes {
            guard case .committed = try await net.node.transactionStatus(hash) else {
                Issue.record("transaction \(hash) was not committed in the next two blocks")
                return
            }
        }
    }

    @Test func oversizedBlockIsInvalid() {
        let patient = TestNode.person("p")
        let transactions = (0..<200).map { index in
            Transaction(
                chainID: TestNode.chainID, signer: patient.id, keys: patient.keys, nonce: Nonce(UInt64(index + 1)),
                payload: LargePayloads.submission(by: patient, index: index))
        }
        #expect(Block.transactionsByteCount(transactions) > Limits.blockTransactionsMaxBytes)
        let fitting = Array(transactions.prefix(150))
        #expect(Block.transactionsByteCount(fitting) <= Limits.blockTransactionsMaxBytes)
        #expect(throws: BlockValidationError.self) { try BlockValidator.checkSize(transactions, height: 2) }
        #expect(
            BlockValidator.fittingPrefix(transactions, maxCount: Limits.blockMaxTransactions).count < transactions.count
        )
    }

    @Test func oneSignerCannotFillTheMempool() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let patient = TestNode.person("mallory")
        try await net.commit(await net.transaction(patient, .registerPatient(RegisterPatient(keys: patient.keys))))
        var admittedBytes = 0
        var refusal: NodeError?
        var last = 0
        for index in 0..<100 {
            let tx = await net.transaction(patient, LargePayloads.submission(by: patient, index: index))
            last = tx.encoded.count
            do {
                try await net.node.submit(tx)
                admittedBytes += tx.encoded.count
            } catch {
                refusal = error
                break
            }
        }
        #expect(admittedBytes <= Limits.mempoolMaxBytesPerSigner)
        #expect(admittedBytes + last > Limits.mempoolMaxBytesPerSigner, "refused only when the next would not fit")
        #expect(refusal?.field == "tx.signer")
    }

    /// Issue 7.5 found this: 500 transactions of the largest size do not fit one peer frame,
    /// so a full HTTP batch used to be gossiped as a message that was never sent.
    @Test func gossipOfALargeBatchIsSplitIntoMessagesThatFitAFrame() {
        let patient = TestNode.person("p")
        let transactions = (0..<Limits.peerMessageMaxTransactions).map { index in
            Transaction(
                chainID: TestNode.chainID, signer: patient.id, keys: patient.keys, nonce: Nonce(UInt64(index + 1)),
                payload: LargePayloads.submission(by: patient, index: index))
        }
        let chunks = GossipOutbox.messages(transactions)
        #expect(chunks.count > 1)
        #expect(chunks.flatMap { $0 } == transactions, "nothing lost, order kept")
        for chunk in chunks {
            #expect(PeerMessage.transactions(chunk).canonicalBytes.count <= PeerFrame.maxMessageBytes)
        }
        #expect(
            PeerMessage.transactions(transactions).canonicalBytes.count > PeerFrame.maxMessageBytes,
            "the whole batch really is too large for one frame")
    }
}
