import MedLedgerCore
import MedLedgerConsensus

/// One simulated validator: durable state (chain, certificates, app states, persisted
/// consensus state, signer, proposal blocks) that survives a crash, and volatile state
/// (the state machine, buffers) that does not.
final class SimulatedNode {
    let index: Int
    let keys: IdentityKeys
    let id: IdentityID
    let byzantine: Bool
    /// This validator's clock is off by this much (signed milliseconds).
    let clockSkew: Int64

    // Durable.
    var chain: [SimulatedBlock] = []
    var certificates: [CommitCertificate] = []
    /// appStates[h] is the app state after block h; appStates[0] is the genesis state.
    var appStates: [Hash256]
    var persisted: PersistentConsensusState?
    var signer: SimulatedSigner
    /// Blocks of proposals seen at the current height, by hash (a real node stores the
    /// block parts of what it may lock on or re-propose).
    var blockStore: [Hash256: SimulatedBlock] = [:]

    // Volatile.
    var machine: TendermintMachine?
    var up = true
    var incarnation = 0
    var inbox: [ConsensusInput] = []
    var draining = false
    var futureBuffer: [(from: Int, message: SimulationMessage)] = []
    var lastSyncRequest: (height: Height, at: UInt64)?
    /// Valid proposals and votes of the current height this node has seen (its own too),
    /// which it keeps gossiping: Tendermint's assumption that after GST every message a
    /// correct process received reaches every correct process.
    var relayLog: [SimulationMessage] = []
    var relayedVotes: Set<SignedVote> = []
    var relayedProposals: Set<Proposal> = []

    static let relayLogLimit = 96

    /// Remembers a message for gossip (once; the newest `relayLogLimit`).
    func remember(_ message: SimulationMessage) {
        switch message {
        case .proposal(let proposal, _): guard relayedProposals.insert(proposal).inserted else { return }
        case .vote(let vote): guard relayedVotes.insert(vote).inserted else { return }
        case .syncRequest, .syncResponse: return
        }
        relayLog.append(message)
        if relayLog.count > Self.relayLogLimit { relayLog.removeFirst(relayLog.count - Self.relayLogLimit) }
    }

    /// Forgets the gossip of a finished height.
    func clearRelay() {
        relayLog = []
        relayedVotes = []
        relayedProposals = []
    }

    init(index: Int, keys: IdentityKeys, byzantine: Bool, clockSkew: Int64, chainID: String, genesisState: Hash256) {
        self.index = index
        self.keys = keys
        self.id = keys.identityID
        self.byzantine = byzantine
        self.clockSkew = clockSkew
        self.appStates = [genesisState]
        self.signer = SimulatedSigner(chainID: chainID, keys: keys)
    }

    /// The height being decided: one past the committed chain.
    var currentHeight: Height { Height(chain.count + 1) }
    var appState: Hash256 { appStates[appStates.count - 1] }

    /// Loses everything volatile.
    func crash() {
        precondition(up, "only a running node crashes")
        up = false
        incarnation += 1
        machine = nil
        inbox = []
        draining = false
        futureBuffer = []
        lastSyncRequest = nil
        clearRelay()
        precondition(!chain.isEmpty || appStates.count == 1, "durable state kept")
    }
}
