import MedLedgerCore
import MedLedgerConsensus

/// A deterministic simulation of N Tendermint validators in one process: virtual time, one
/// seeded PRNG for every choice (delays, loss, duplication, partitions, crashes, clock skew,
/// Byzantine behaviour), and invariant checks after every step. The same arguments always
/// give the same run, so a failing seed replays exactly.
public enum Simulation {
    /// Runs until every honest validator has committed `heights` blocks and the chain grew
    /// by the profile's liveness heights after the fault window, or until an invariant fails.
    public static func run(seed: UInt64, validators: Int, faults: FaultProfile, heights: Int) -> SimulationResult {
        precondition(validators >= 1 && validators <= 64, "1...64 validators")
        precondition(heights >= 1, "at least one height")
        let run = SimulationRun(seed: seed, validatorCount: validators, profile: faults, heights: heights)
        return run.execute()
    }
}

/// The mutable world of one simulation run (single-threaded, never shared).
final class SimulationRun {
    static let chainID = "medledger-sim"
    static let genesisTime = ConsensusTime(milliseconds: 1_800_000_000_000)
    static let genesisState = Hash256.of(Array("medledger/sim/genesis-state".utf8))
    static let gossipIntervalMilliseconds: UInt64 = 700
    static let maxSteps = 600_000
    static let commitPauseMilliseconds: UInt64 = 20

    let seed: UInt64
    let profile: FaultProfile
    let heights: Int
    let validators: ValidatorSet
    let timeouts = TimeoutConfig()
    var random: SimulationRandom
    var nodes: [SimulatedNode] = []
    var queue = EventQueue()
    var now: UInt64 = 0
    var steps = 0
    var failure: String?
    var statistics = SimulationStatistics()
    var activePartitions: [(id: Int, side: [Bool])] = []
    /// The first honest decision and app state per height, for the agreement checks.
    var decided: [Height: Hash256] = [:]
    var appStateAt: [Height: Hash256] = [:]
    var heightAtFaultEnd: Int?
    /// Pure-function caches: signature and certificate checks are slow in debug builds.
    var goodVotes: Set<SignedVote> = []
    var goodProposals: Set<Proposal> = []
    var goodCertificates: Set<[Hash256]> = []

    init(seed: UInt64, validatorCount: Int, profile: FaultProfile, heights: Int) {
        self.seed = seed
        self.profile = profile
        self.heights = heights
        self.random = SimulationRandom(seed: seed)
        let keys = (0..<validatorCount).map { IdentityKeys.deterministic(seed: "sim-validator-\($0)") }
            .sorted { $0.identityID < $1.identityID }
        self.validators = ValidatorSet(keys.enumerated().map { index, key in
            Validator(name: "sim\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey,
                      power: 1)
        })
        let byzantineCount = min(profile.byzantine, (validatorCount - 1) / 3)
        var byzantine = Set<Int>()
        while byzantine.count < byzantineCount { byzantine.insert(random.index(validatorCount)) }
        for (index, key) in keys.enumerated() {
            let skewRange = profile.maxClockSkewMilliseconds
            let skew = skewRange == 0 ? 0 : Int64(random.uniform(0...(2 * skewRange))) - Int64(skewRange)
            nodes.append(SimulatedNode(index: index, keys: key, byzantine: byzantine.contains(index), clockSkew: skew,
                                       chainID: Self.chainID, genesisState: Self.genesisState))
        }
    }

    var honestNodes: [SimulatedNode] { nodes.filter { !$0.byzantine } }
    var minHonestHeight: Int { honestNodes.map(\.chain.count).min() ?? 0 }
    var faultEnd: UInt64 { profile.faultWindowMilliseconds }

    func execute() -> SimulationResult {
        scheduleFaults()
        for node in nodes {
            queue.push(.gossip(node: node.index), at: Self.gossipIntervalMilliseconds + UInt64(node.index) * 37)
            startHeight(node)
        }
        let deadline = faultEnd + profile.livenessWindowMilliseconds
        while failure == nil {
            if heightAtFaultEnd == nil, now >= faultEnd { heightAtFaultEnd = minHonestHeight }
            if let base = heightAtFaultEnd, minHonestHeight >= max(heights, base + profile.livenessHeights) { break }
            guard let (time, event) = queue.pop() else {
                failure = "no events left at \(now) ms: the run is stuck"
                break
            }
            if time > deadline {
                failure = "liveness: " + nodeSummary + "honest validators reached height \(minHonestHeight) (\(heightAtFaultEnd ?? 0) when "
                    + "faults ended at \(faultEnd) ms), not \(max(heights, (heightAtFaultEnd ?? 0) + profile.livenessHeights)) "
                    + "by \(deadline) ms"
                break
            }
            precondition(time >= now, "virtual time never goes back")
            now = time
            steps += 1
            if steps > Self.maxSteps {
                failure = "step limit \(Self.maxSteps) reached at \(now) ms"
                break
            }
            process(event)
        }
        return SimulationResult(seed: seed, validators: nodes.count, profile: profile.name, heights: heights,
                                failure: failure, committedHeight: minHonestHeight, virtualMilliseconds: now,
                                steps: steps, statistics: statistics)
    }

    /// Where every validator is, for failure messages.
    var nodeSummary: String {
        nodes.map { node in
            let machine = node.machine.map(\.description) ?? "no machine"
            return "[v\(node.index)\(node.byzantine ? " byz" : "") up \(node.up) h\(node.currentHeight) \(machine)] "
        }.joined()
    }

    func process(_ event: SimulationEvent) {
        switch event {
        case .deliver(let to, let from, let message):
            receive(nodes[to], from: from, message)
        case .timeout(let index, let incarnation, let timeout):
            let node = nodes[index]
            guard node.up, node.incarnation == incarnation else { return }
            feed(node, .timeout(timeout))
        case .gossip(let index):
            gossip(nodes[index])
            queue.push(.gossip(node: index), at: now + Self.gossipIntervalMilliseconds)
        case .startNextHeight(let index, let incarnation):
            let node = nodes[index]
            guard node.up, node.incarnation == incarnation, node.machine == nil else { return }
            startHeight(node)
        case .crash(let index):
            guard nodes[index].up else { return }
            nodes[index].crash()
            statistics.crashes += 1
        case .restart(let index):
            guard !nodes[index].up else { return }
            nodes[index].up = true
            startHeight(nodes[index])
        case .partitionStart(let id, let side):
            activePartitions.append((id, side))
        case .partitionHeal(let id):
            activePartitions.removeAll { $0.id == id }
        }
    }
}
