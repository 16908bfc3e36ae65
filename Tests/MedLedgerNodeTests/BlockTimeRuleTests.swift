import Foundation
import Testing
import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage
@testable import MedLedgerNode
import MedLedgerTesting
import MedLedgerVerifier

/// Issue 7.2: the time rule that drifted. The verifier and the simulator required a block's
/// time to exceed its parent's; the node's validator did not. Now one `BlockValidator`
/// holds the rule (Tendermint's: strictly later than the parent; block 1 carries the genesis
/// time) and the node, `verify` and the simulator all use it.
@Suite struct BlockTimeRuleTests {
    /// Commits a block whose own certificate carries `precommitOffset` ms relative to the
    /// block's time, so the *next* block's median time is that. Honest validators never sign
    /// such a precommit (`precommitTime` is at least the block time + 1 ms); a quorum of
    /// faulty ones could.
    func commitWithPrecommitTime(_ net: TestNode, offsetMilliseconds: Int64) async throws {
        let executed = await net.node.buildNextBlock()
        let blockTime = executed.block.header.time.milliseconds
        let time = ConsensusTime(milliseconds: UInt64(Int64(blockTime) + offsetMilliseconds))
        let certificate = await net.node.signCertificate(executed.block.header, time: time)
        try await net.node.commit(executed, certificate: certificate)
    }

    @Test(arguments: [Int64(0), -5])
    func blockNotLaterThanItsParentIsRefusedByTheNodeAndByVerify(offset: Int64) async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        try await net.seal()  // block 1 at the genesis time
        try await commitWithPrecommitTime(net, offsetMilliseconds: offset)  // block 2
        let parent = try #require(try await net.node.block(at: 2))
        let proposed = await net.node.buildNextBlock()
        #expect(
            proposed.block.header.time.milliseconds == UInt64(Int64(parent.header.time.milliseconds) + offset),
            "the median of block 2's precommits")
        #expect(proposed.block.header.time <= parent.header.time)

        // The node's valid(v), used for proposals and block sync:
        switch await net.node.executeProposed(proposed.block) {
        case .success: Issue.record("the node accepted block 3 at or before block 2's time")
        case .failure(let error): #expect(error.code == .timeNotAfterParent, "got \(error)")
        }
        // The same rule, straight from the validator:
        var state = await net.node.state
        #expect(throws: BlockValidationError.self) {
            _ = try net.node.blockRules.validateAndExecute(
                proposed.block, extending: ChainTip(header: parent.header),
                state: &state, engine: net.node.engine)
        }

        // `verify` refuses the same block when it is on disk (committed here behind the
        // validator's back, as a tampered or buggy ledger would hold it).
        let certificate = await net.node.signCertificate(
            proposed.block.header,
            time: proposed.block.header.time.adding(milliseconds: 1))
        try await net.node.commit(proposed, certificate: certificate)
        do {
            _ = try LedgerVerifier(directory: net.directory).verify()
            Issue.record("verify accepted block 3 at or before block 2's time")
        } catch {
            #expect(error.location == "block 3", "got \(error)")
            #expect(error.reason.contains(BlockValidationError.Code.timeNotAfterParent.name), "got \(error)")
        }
    }

    @Test func firstBlockCarriesTheGenesisTimeAndTheNextOneIsLater() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let first = try await net.seal()
        #expect(first.header.time == net.genesisTime, "block 1: the genesis time, not later")
        let second = try await net.seal()
        #expect(second.header.time > first.header.time)
        _ = try LedgerVerifier(directory: net.directory).verify()
    }

    @Test func firstBlockWithAnotherTimeIsRefused() async throws {
        let net = try TestNode.make()
        defer { net.remove() }
        let genesis = net.node.genesis
        let rules = BlockValidator(genesis: genesis)
        let built = await net.node.buildNextBlock()
        let header = built.block.header
        let late = BlockHeader(
            chainID: header.chainID, height: 1, time: header.time.adding(milliseconds: 1),
            previousBlockHash: header.previousBlockHash, lastCommitHash: header.lastCommitHash,
            transactionsRoot: header.transactionsRoot, resultsRoot: header.resultsRoot,
            stateRoot: header.stateRoot, validatorsHash: header.validatorsHash, proposer: header.proposer)
        #expect(throws: Never.self) {
            try rules.checkHeader(header, lastCommit: nil, transactions: [], extending: .genesis(genesis))
        }
        do {
            try rules.checkHeader(late, lastCommit: nil, transactions: [], extending: .genesis(genesis))
            Issue.record("block 1 after the genesis time was accepted")
        } catch {
            #expect(error.code == .timeNotMedian)
        }
        switch await net.node.executeProposed(Block(header: late, lastCommit: nil, transactions: [])) {
        case .success: Issue.record("the node accepted block 1 after the genesis time")
        case .failure(let error): #expect(error.code == .timeNotMedian)
        }
    }
}
