import MedLedgerCore
@testable import MedLedgerConsensus

/// Four (or n) validators with deterministic keys, their machines, and a hand-cranked
/// network: tests decide what is delivered and which timeouts fire.
struct ConsensusCluster {
    static let chainID = "medledger-consensus-test"
    let keys: [IdentityKeys]
    let validators: ValidatorSet
    let height: Height
    var machines: [TendermintMachine]
    /// Nodes that are down receive nothing and send nothing.
    var up: [Bool]
    var inbox: [(node: Int, input: ConsensusInput)] = []
    var pendingTimeouts: [(node: Int, timeout: ConsensusTimeout)] = []
    var decisions: [Int: (round: Round, blockHash: Hash256, precommits: [SignedVote])] = [:]
    var casts: [Int: [(type: VoteType, round: Round, blockHash: Hash256?)]] = [:]
    var equivocations: [(reporter: Int, validator: IdentityID)] = []
    var persisted: [Int: PersistentConsensusState] = [:]

    init(count: Int = 4, height: Height = 1) {
        let keys = (0..<count).map { IdentityKeys.deterministic(seed: "consensus-validator-\($0)") }
            .sorted { $0.identityID < $1.identityID }
        self.keys = keys
        let validators = ValidatorSet(
            keys.enumerated().map { index, key in
                Validator(
                    name: "v\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey,
                    power: 1)
            })
        self.validators = validators
        self.height = height
        self.machines = keys.map {
            TendermintMachine(
                chainID: Self.chainID, validators: validators, me: $0.identityID, height: height,
                timeouts: TimeoutConfig())
        }
        self.up = Array(repeating: true, count: count)
    }

    var count: Int { keys.count }
    func id(_ node: Int) -> IdentityID { keys[node].identityID }
    func index(of id: IdentityID) -> Int { keys.firstIndex { $0.identityID == id }! }
    func proposerIndex(round: Round) -> Int {
        index(of: TendermintMachine.proposer(validators: validators, height: height, round: round))
    }

    static func blockHash(_ label: String) -> Hash256 { Hash256.of(Array("block/\(label)".utf8)) }

    func vote(_ node: Int, _ type: VoteType, round: Round, _ blockHash: Hash256?, time: UInt64 = 1_000) -> SignedVote {
        SignedVote(
            vote: Vote(
                type: type, chainID: Self.chainID, height: height, round: round, blockHash: blockHash,
                time: ConsensusTime(milliseconds: time)), keys: keys[node])
    }

    func proposal(round: Round, validRound: Round? = nil, _ blockHash: Hash256) -> Proposal {
        Proposal(
            chainID: Self.chainID, height: height, round: round, validRound: validRound, blockHash: blockHash,
            keys: keys[proposerIndex(round: round)])
    }

    mutating func startAll() {
        for node in 0..<count where up[node] { perform(node, machines[node].start()) }
    }

    /// Feeds one input to one node directly (bypassing the network) and performs its actions.
    @discardableResult
    mutating func feed(_ node: Int, _ input: ConsensusInput) -> [ConsensusAction] {
        let actions = machines[node].handle(input)
        perform(node, actions)
        return actions
    }

    mutating func broadcast(from node: Int, _ input: ConsensusInput) {
        guard up[node] else { return }
        for target in 0..<count where up[target] { inbox.append((target, input)) }
    }

    mutating func perform(_ node: Int, _ actions: [ConsensusAction]) {
        for action in actions {
            switch action {
            case .persist(let state): persisted[node] = state
            case .proposeNewBlock(let height, let round):
                let hash = Self.blockHash("\(height)-\(round)-\(node)")
                broadcast(from: node, .proposal(proposal(round: round, hash), blockIsValid: true))
            case .reproposeBlock(_, let round, let validRound, let hash):
                broadcast(
                    from: node, .proposal(proposal(round: round, validRound: validRound, hash), blockIsValid: true))
            case .castVote(let type, _, let round, let hash):
                casts[node, default: []].append((type, round, hash))
                broadcast(from: node, .vote(vote(node, type, round: round, hash)))
            case .scheduleTimeout(let timeout, _): pendingTimeouts.append((node, timeout))
            case .decide(_, let round, let hash, let precommits): decisions[node] = (round, hash, precommits)
            case .reportEquivocation(let validator, _, _): equivocations.append((node, validator))
            }
        }
    }

    /// Delivers messages until none is left.
    mutating func pump(limit: Int = 10_000) {
        var delivered = 0
        while !inbox.isEmpty, delivered < limit {
            let (node, input) = inbox.removeFirst()
            delivered += 1
            guard up[node] else { continue }
            perform(node, machines[node].handle(input))
        }
    }

    /// Fires every pending timeout of `step` (for up nodes), then pumps.
    mutating func fire(_ step: TimeoutStep) {
        let due = pendingTimeouts.filter { $0.timeout.step == step }
        pendingTimeouts.removeAll { $0.timeout.step == step }
        for (node, timeout) in due where up[node] { perform(node, machines[node].handle(.timeout(timeout))) }
        pump()
    }

    func lastCast(_ node: Int, _ type: VoteType, round: Round) -> Hash256?? {
        casts[node]?.last { $0.type == type && $0.round == round }.map { $0.blockHash }
    }
}
