import MedLedgerConsensus
import MedLedgerCore
@testable import MedLedgerP2P
import Testing

@Suite("P2P message encoding")
struct P2PMessageTests {
    let keys = IdentityKeys.deterministic(seed: "p2p-message")

    func header(height: Height) -> BlockHeader {
        BlockHeader(
            chainID: P2PCluster.chainID, height: height, time: ConsensusTime(milliseconds: 1_000 * height.rawValue),
            previousBlockHash: .zero, lastCommitHash: .zero, transactionsRoot: .empty, resultsRoot: .empty,
            stateRoot: .empty, validatorsHash: .empty, proposer: keys.identityID)
    }

    func certificate(for header: BlockHeader) -> CommitCertificate {
        let time = ConsensusTime(milliseconds: 5)
        let vote = Precommit.vote(
            chainID: header.chainID, height: header.height, round: 0, blockHash: header.hash, time: time)
        return CommitCertificate(
            height: header.height, round: 0, blockHash: header.hash,
            signatures: [
                CommitSignature(
                    validator: keys.identityID, time: time,
                    signature: keys.sign(vote.canonicalBytes))
            ])
    }

    func roundTrip(_ message: PeerMessage) throws -> PeerMessage {
        let decoded = try PeerMessage.decode(canonical: message.canonicalBytes)
        #expect(decoded.canonicalBytes == message.canonicalBytes)
        #expect(decoded.kind == message.kind)
        return decoded
    }

    @Test func everyCaseRoundTrips() throws {
        let block1 = Block(header: header(height: 1), lastCommit: nil, transactions: [P2PFixtures.transaction(keys)])
        let block2 = Block(header: header(height: 2), lastCommit: certificate(for: block1.header), transactions: [])
        let proposal = Proposal(
            chainID: P2PCluster.chainID, height: 2, round: 1, validRound: nil,
            blockHash: block2.hash, keys: keys)
        guard case .proposal(let p, let b) = try roundTrip(.proposal(proposal, block2)) else {
            Issue.record("not a proposal")
            return
        }
        #expect(p == proposal && b == block2)
        _ = try roundTrip(.vote(P2PFixtures.vote(keys)))
        guard case .transaction(let tx) = try roundTrip(.transaction(P2PFixtures.transaction(keys))) else {
            Issue.record("not a transaction")
            return
        }
        #expect(tx.hasValidSignature)
        _ = try roundTrip(.statusRequest)
        _ = try roundTrip(.status(height: 9, latestBlockHash: block2.hash))
        _ = try roundTrip(.blockRequest(from: 3, count: 64))
        guard
            case .blockResponse(let blocks) = try roundTrip(
                .blockResponse([(block1, certificate(for: block1.header)), (block2, certificate(for: block2.header))]))
        else {
            Issue.record("not a block response")
            return
        }
        #expect(blocks.map(\.0) == [block1, block2])
        #expect(
            blocks[1].1.problem(
                chainID: P2PCluster.chainID, header: block2.header,
                validators: P2PCluster.genesis(validators: [keys]).validatorSet) == nil)
        _ = try roundTrip(.ping(.max))
        _ = try roundTrip(.pong(0))
        let gossip = [
            P2PFixtures.transaction(keys), P2PFixtures.transaction(IdentityKeys.deterministic(seed: "other")),
        ]
        guard case .transactions(let decoded) = try roundTrip(.transactions(gossip)) else {
            Issue.record("not a transaction batch")
            return
        }
        #expect(decoded == gossip)
    }

    @Test func oversizedTransactionBatchesAreRefused() {
        var encoder = CanonicalEncoder()
        encoder.write(PeerMessage.Tag.transactions.rawValue)
        encoder.write(UInt32(PeerMessage.maxTransactionsPerMessage + 1))
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: encoder.bytes) }
    }

    @Test func oversizedBlockCountsAreRefused() {
        #expect(throws: CanonicalDecodingError.self) {
            try PeerMessage.decode(canonical: PeerMessage.blockRequest(from: 1, count: 65).canonicalBytes)
        }
        var encoder = CanonicalEncoder()
        encoder.write(PeerMessage.Tag.blockResponse.rawValue)
        encoder.write(UInt32(1_000_000))
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: encoder.bytes) }
    }

    @Test func malformedInputThrowsInsteadOfTrapping() {
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: []) }
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: [0xEE]) }
        #expect(throws: CanonicalDecodingError.self) {
            try PeerMessage.decode(canonical: PeerMessage.ping(1).canonicalBytes + [0])
        }
        // Block 2 without a last commit would trip Block.init's precondition: must throw instead.
        var encoder = CanonicalEncoder()
        encoder.write(PeerMessage.Tag.blockResponse.rawValue)
        encoder.write(UInt32(1))
        encoder.write(bytes: header(height: 2).canonicalBytes)
        encoder.write(bytes: Block(header: header(height: 1), lastCommit: nil, transactions: []).encodedBody)
        encoder.write(certificate(for: header(height: 2)))
        #expect(throws: CanonicalDecodingError.self) { try PeerMessage.decode(canonical: encoder.bytes) }
    }

    @Test func backoffDoublesToTheCapAndResets() {
        var backoff = PeerBackoff()
        let delays = (0..<9).map { _ in backoff.next() }
        #expect(delays == [100, 200, 400, 800, 1_600, 3_200, 5_000, 5_000, 5_000].map { Duration.milliseconds($0) })
        backoff.reset()
        #expect(backoff.next() == .milliseconds(100))
    }
}
