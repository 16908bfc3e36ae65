import Testing
import MedLedgerCore
import MedLedgerContracts
@testable import MedLedgerNode

/// What a commit leaves in the mempool: the included transactions go, so do a signer's
/// transactions its committed nonce made stale, and the per-signer bookkeeping follows
/// (updated for what was removed, not rebuilt from the whole queue).
@Suite struct MempoolCommitTests {
    let organization = IdentityKeys.deterministic(seed: "mempool-org")
    let other = IdentityKeys.deterministic(seed: "mempool-other-org")
    let genesis: Genesis
    let engine: ContractEngine

    init() {
        let validator = IdentityKeys.deterministic(seed: "mempool-validator")
        genesis = Genesis(
            chainID: "mempool-test", genesisTime: ConsensusTime(milliseconds: 1_767_225_600_000),
            validators: [
                Validator(
                    name: "v", signingKey: validator.publicSigningKey, encryptionKey: validator.publicEncryptionKey,
                    power: 1)
            ],
            organizations: [organization, other].enumerated().map { index, keys in
                GenesisOrganization(
                    name: "org-\(index)", signingKey: keys.publicSigningKey, encryptionKey: keys.publicEncryptionKey)
            })
        engine = ContractEngine(genesis: genesis)
    }

    func registration(by signer: IdentityKeys, nonce: Nonce, seed: String) -> Transaction {
        let practitioner = IdentityKeys.deterministic(seed: seed)
        return Transaction(
            chainID: genesis.chainID, signer: signer.identityID, keys: signer, nonce: nonce,
            payload: .registerPractitioner(
                RegisterPractitioner(
                    organization: signer.identityID, signingKey: practitioner.publicSigningKey,
                    encryptionKey: practitioner.publicEncryptionKey, roles: [.reader])))
    }

    /// The genesis state as block 1 leaves it: changes taken, pending folded in.
    func committedGenesisState() -> LedgerState {
        var state = engine.genesisState(genesis)
        _ = state.takeChanges()
        state.foldPending()
        return state
    }

    /// The state after executing `block` on `state` (as a commit makes it live).
    func executed(_ block: [Transaction], on state: LedgerState) -> LedgerState {
        var next = state
        _ = BlockExecutor.execute(
            block, context: BlockContext(height: 2, time: ConsensusTime(milliseconds: 1_767_225_601_000)),
            state: &next, engine: engine)
        next.foldPending()
        return next
    }

    @Test func includedAndStaleTransactionsLeaveAndTheBookkeepingFollows() throws {
        var state = committedGenesisState()
        let ours = (1...3).map { registration(by: organization, nonce: Nonce($0), seed: "ours-\($0)") }
        let theirs = (1...2).map { registration(by: other, nonce: Nonce($0), seed: "theirs-\($0)") }
        var mempool = Mempool()
        for tx in ours + theirs { try mempool.admit(tx, engine: engine, state: state) }
        #expect(mempool.pendingNonce(of: organization.identityID) == 3)

        // A block with our first two and, from another node, a different transaction of the
        // other organization with nonce 1: ours go as included, its nonce 1 as stale.
        let competing = registration(by: other, nonce: 1, seed: "competing")
        let block = Array(ours.prefix(2)) + [competing]
        state = executed(block, on: state)
        mempool.removeCommitted(block, state: state)

        #expect(mempool.queue.map(\.hash) == [ours[2].hash, theirs[1].hash])
        #expect(mempool.pendingNonce(of: organization.identityID) == 3)
        #expect(mempool.pendingNonce(of: other.identityID) == 2)
        #expect(mempool.totalBytes == ours[2].encoded.count + theirs[1].encoded.count)
        #expect(!mempool.contains(ours[0].hash) && mempool.contains(ours[2].hash))

        // Everything of ours committed: nothing of ours waits, and our next nonce is admitted.
        state = executed([ours[2]], on: state)
        mempool.removeCommitted([ours[2]], state: state)
        #expect(mempool.pendingNonce(of: organization.identityID) == nil)
        try mempool.admit(registration(by: organization, nonce: 4, seed: "ours-4"), engine: engine, state: state)
        #expect(mempool.count == 2)
    }

    /// The scan stops once it has seen every transaction of the block's signers, wherever in
    /// the queue they are: a stale one far behind others is still dropped, and what stays
    /// keeps its order, before and after the point where the scan stopped.
    @Test func aStaleTransactionBehindOthersLeavesAndTheRestKeepTheirOrder() throws {
        var state = committedGenesisState()
        let ours = (1...2).map { registration(by: organization, nonce: Nonce($0), seed: "ours-\($0)") }
        let theirs = (1...4).map { registration(by: other, nonce: Nonce($0), seed: "theirs-\($0)") }
        var mempool = Mempool()
        let arrival = [theirs[0], ours[0], theirs[1], theirs[2], ours[1], theirs[3]]
        for tx in arrival { try mempool.admit(tx, engine: engine, state: state) }

        // Another node's transaction with our nonce 2 commits beside our nonce 1: our nonce
        // 2, fifth in the queue, is stale.
        let competing = registration(by: organization, nonce: 2, seed: "competing")
        state = executed([ours[0], competing], on: state)
        mempool.removeCommitted([ours[0], competing], state: state)
        #expect(mempool.queue.map(\.hash) == theirs.map(\.hash))
        #expect(mempool.pendingNonce(of: organization.identityID) == nil)
        #expect(mempool.totalBytes == theirs.reduce(0) { $0 + $1.encoded.count })

        // Their first, at the front, commits: the rest stay as they were.
        state = executed([theirs[0]], on: state)
        mempool.removeCommitted([theirs[0]], state: state)
        #expect(mempool.queue.map(\.hash) == theirs.dropFirst().map(\.hash))
        #expect(mempool.pendingNonce(of: other.identityID) == 4)
        #expect(!mempool.contains(theirs[0].hash) && mempool.contains(theirs[3].hash))
    }

    /// A commit reports how long each included transaction waited, and whether a client
    /// submitted it here: the arrivals follow their transactions through every compaction.
    @Test func includedTransactionsReportTheirWaitAndWhereTheyCameFrom() throws {
        var state = committedGenesisState()
        let ours = (1...2).map { registration(by: organization, nonce: Nonce($0), seed: "ours-\($0)") }
        let theirs = (1...2).map { registration(by: other, nonce: Nonce($0), seed: "theirs-\($0)") }
        var mempool = Mempool()
        try mempool.admit(theirs[0], engine: engine, state: state)
        try mempool.admit(ours[0], engine: engine, state: state, submittedHere: true)
        let gapEnd = ContinuousClock.now + .milliseconds(5)
        while ContinuousClock.now < gapEnd {}
        try mempool.admit(theirs[1], engine: engine, state: state)
        try mempool.admit(ours[1], engine: engine, state: state, submittedHere: true)

        // Another node's transaction with our nonce 2 makes ours[1] stale: dropped, but it
        // never made it into a block, so only ours[0] is reported.
        let competing = registration(by: organization, nonce: 2, seed: "competing")
        state = executed([ours[0], competing], on: state)
        let first = mempool.removeCommitted([ours[0], competing], state: state)
        #expect(first.map(\.submittedHere) == [true])
        #expect(first[0].duration >= .milliseconds(5))

        // Each wait runs from its own arrival: theirs[0] came 5 ms before theirs[1], which
        // moved up the queue, past where ours[0] was, when ours went.
        state = executed(theirs, on: state)
        let second = mempool.removeCommitted(theirs, state: state)
        #expect(second.map(\.submittedHere) == [false, false])
        #expect(second[0].duration >= second[1].duration + .milliseconds(5))
        #expect(mempool.isEmpty)
    }
}
