import Foundation
import MedLedgerCore
import MedLedgerStorage
import MedLedgerP2P
import MedLedgerConsensus
import MedLedgerContracts
import MedLedgerNode

/// A deterministic simulation of N validators in one process. Each validator is a real
/// `LedgerNode` run by the production `ConsensusDriver`; only the transport and the clock are
/// simulated: virtual time, and one seeded PRNG for every choice (delays, loss, duplication,
/// partitions, crashes, clock skew, Byzantine behaviour). Events are handled one at a time,
/// each to completion, so the same arguments always give the same run and a failing seed
/// replays exactly. Invariants are checked after every event.
public enum Simulation {
    /// Runs until every honest validator has committed `heights` blocks and the chain grew
    /// by the profile's liveness heights after the fault window, or until an invariant fails.
    public static func run(seed: UInt64, validators: Int, faults: FaultProfile, heights: Int) async -> SimulationResult
    {
        precondition(validators >= 1 && validators <= 64, "1...64 validators")
        precondition(heights >= 1, "at least one height")
        let run = SimulationRun(seed: seed, validatorCount: validators, profile: faults, heights: heights)
        return await run.execute()
    }
}

/// The mutable world of one simulation run. Only the run's own task touches it: the
/// simulated transport and clock are called by a driver while the run awaits that driver's
/// `handle`, never concurrently (hence `@unchecked Sendable` on the references to it).
final class SimulationRun {
    static let chainID = "medledger-sim"
    static let genesisTime = ConsensusTime(milliseconds: 1_800_000_000_000)
    static let maxSteps = 600_000
    /// The workload: at most this many transactions, one every 0.5-2.5 s of virtual time.
    static let workloadTransactions = 40

    let seed: UInt64
    let profile: FaultProfile
    let heights: Int
    let genesis: Genesis
    let validators: ValidatorSet
    /// The chain's block rules: the checker judges committed blocks with the node's own.
    let rules: BlockValidator
    /// The production configuration and timeouts (`NodeRuntime`).
    let configuration = NodeConfiguration()
    let timeouts: TimeoutConfig
    let driverOptions: SimulatedDriver.Options
    let root: URL
    var random: SimulationRandom
    var nodes: [SimulatedNode] = []
    var queue = EventQueue()
    var now: UInt64 = 0
    var steps = 0
    var failure: String?
    var statistics = SimulationStatistics()
    var activePartitions: [(id: Int, side: [Bool])] = []
    /// The first honest decision and state root per height, for the agreement checks.
    var decided: [Height: Hash256] = [:]
    var appStateAt: [Height: Hash256] = [:]
    var heightAtFaultEnd: Int?
    /// `MEDLEDGER_SIM_TRACE=1`: print every event with the validator's state (debugging a seed).
    let trace = ProcessInfo.processInfo.environment["MEDLEDGER_SIM_TRACE"] == "1"

    init(seed: UInt64, validatorCount: Int, profile: FaultProfile, heights: Int) {
        self.seed = seed
        self.profile = profile
        self.heights = heights
        self.random = SimulationRandom(seed: seed)
        self.timeouts = NodeRuntime.timeouts(for: configuration)
        var options = SimulatedDriver.Options()
        options.checksGossipOffActor = false
        self.driverOptions = options
        let keys = (0..<validatorCount).map { IdentityKeys.deterministic(seed: "sim-validator-\($0)") }
            .sorted { $0.identityID < $1.identityID }
        let members = keys.enumerated().map { index, key in
            Validator(
                name: "sim\(index)", signingKey: key.publicSigningKey, encryptionKey: key.publicEncryptionKey, power: 1)
        }
        self.genesis = Genesis(
            chainID: Self.chainID, genesisTime: Self.genesisTime, validators: members, organizations: [])
        self.validators = genesis.validatorSet
        self.rules = BlockValidator(genesis: genesis)
        self.root = Self.scratchDirectory(seed: seed)
        let byzantineCount = min(profile.byzantine, (validatorCount - 1) / 3)
        var byzantine = Set<Int>()
        while byzantine.count < byzantineCount { byzantine.insert(random.index(validatorCount)) }
        for (index, key) in keys.enumerated() {
            let skewRange = profile.maxClockSkewMilliseconds
            let skew = skewRange == 0 ? 0 : Int64(random.uniform(0...(2 * skewRange))) - Int64(skewRange)
            let directory = DataDirectory(root.appendingPathComponent("node\(index)", isDirectory: true))
            nodes.append(
                SimulatedNode(
                    index: index, keys: key, byzantine: byzantine.contains(index), clockSkew: skew,
                    directory: directory))
        }
        precondition(validators.validators.map(\.id) == nodes.map(\.id), "node index = position in the validator set")
    }

    /// Where the nodes' data directories go: memory-backed when the system has it (the
    /// simulator's crashes happen between events, so fsync buys nothing here).
    static func scratchDirectory(seed: UInt64) -> URL {
        let shm = URL(fileURLWithPath: "/dev/shm", isDirectory: true)
        var isDirectory: ObjCBool = false
        let base =
            FileManager.default.fileExists(atPath: shm.path, isDirectory: &isDirectory) && isDirectory.boolValue
                && FileManager.default.isWritableFile(atPath: shm.path) ? shm : FileManager.default.temporaryDirectory
        return base.appendingPathComponent("medledger-sim-\(seed)-\(UUID().uuidString)", isDirectory: true)
    }

    /// Closes every node (so SQLite writes nothing more) and removes the data directories;
    /// a second attempt covers a removal that raced with a file being closed.
    func removeScratch() {
        for node in nodes {
            node.driver = nil
            node.ledger = nil
        }
        for _ in 0..<3 where FileManager.default.fileExists(atPath: root.path) {
            try? FileManager.default.removeItem(at: root)
        }
    }

    var honestNodes: [SimulatedNode] { nodes.filter { !$0.byzantine } }
    var minHonestHeight: Int { Int((honestNodes.map(\.checkedHeight).min() ?? 0).rawValue) }
    var faultEnd: UInt64 { profile.faultWindowMilliseconds }

    func execute() async -> SimulationResult {
        defer { removeScratch() }
        do {
            for node in nodes {
                try node.directory.initialize(
                    genesis: genesis, nodeKeys: KeyFile(label: "sim\(node.index)", keys: node.keys))
            }
        } catch {
            failure = "cannot create the nodes' data directories: \(error)"
        }
        scheduleFaults()
        queue.push(.submit(node: random.index(nodes.count), transaction: 0), at: random.uniform(500...2_500))
        for node in nodes where failure == nil { await start(node) }
        let deadline = faultEnd + profile.livenessWindowMilliseconds
        while failure == nil {
            if heightAtFaultEnd == nil, now >= faultEnd { heightAtFaultEnd = minHonestHeight }
            if let base = heightAtFaultEnd, minHonestHeight >= max(heights, base + profile.livenessHeights) { break }
            guard let (time, event) = queue.pop() else {
                failure = "no events left at \(now) ms: the run is stuck"
                break
            }
            if time > deadline {
                failure =
                    "liveness: " + (await nodeSummary()) + "honest validators reached height \(minHonestHeight) "
                    + "(\(heightAtFaultEnd ?? 0) when faults ended at \(faultEnd) ms), not "
                    + "\(max(heights, (heightAtFaultEnd ?? 0) + profile.livenessHeights)) by \(deadline) ms"
                break
            }
            precondition(time >= now, "virtual time never goes back")
            now = time
            steps += 1
            if steps > Self.maxSteps {
                failure = "step limit \(Self.maxSteps) reached at \(now) ms"
                break
            }
            await process(event)
        }
        return SimulationResult(
            seed: seed, validators: nodes.count, profile: profile.name, heights: heights,
            failure: failure, committedHeight: minHonestHeight, virtualMilliseconds: now,
            steps: steps, statistics: statistics)
    }

    /// Where every validator is, for failure messages.
    func nodeSummary() async -> String {
        var text = ""
        for node in nodes {
            let machine = await node.driver?.machineDescription ?? "no driver"
            text +=
                "[v\(node.index)\(node.byzantine ? " byz" : "") up \(node.up) h\(node.checkedHeight + 1) \(machine)] "
        }
        return text
    }

    func process(_ event: SimulationEvent) async {
        if trace { await printTrace(event) }
        switch event {
        case .deliver(let to, let from, let message):
            let node = nodes[to]
            guard node.up, let driver = node.driver else { return }
            statistics.messagesDelivered += 1
            await driver.handle(.message(from: nodes[from].id, message))
            await check(node)
        case .wake(let index, let incarnation, let wakeup):
            let node = nodes[index]
            guard node.up, node.incarnation == incarnation, let driver = node.driver else { return }
            await driver.handle(wakeup)
            await check(node)
        case .submit(let index, let number):
            await submit(number, to: nodes[index])
            if number + 1 < Self.workloadTransactions {
                queue.push(
                    .submit(node: random.index(nodes.count), transaction: number + 1),
                    at: now + random.uniform(500...2_500))
            }
        case .crash(let index):
            guard nodes[index].up else { return }
            nodes[index].crash()
            statistics.crashes += 1
        case .restart(let index):
            guard !nodes[index].up else { return }
            nodes[index].up = true
            await start(nodes[index])
        case .partitionStart(let id, let side):
            activePartitions.append((id, side))
        case .partitionHeal(let id):
            activePartitions.removeAll { $0.id == id }
        }
    }
}

extension SimulationRun {
    /// The workload, so blocks carry transactions and the state roots checked per height
    /// change: patient `number` registers itself (a fresh deterministic key, nonce 1). The
    /// validator that takes it gossips it as a node does, over the faulty network; a validator
    /// that is down loses it.
    func submit(_ number: Int, to node: SimulatedNode) async {
        guard node.up, let ledger = node.ledger else { return }
        let patient = IdentityKeys.deterministic(seed: "sim-patient-\(number)")
        let tx = Transaction(
            chainID: Self.chainID, signer: patient.identityID, keys: patient, nonce: 1,
            payload: .registerPatient(RegisterPatient(keys: patient)))
        do { try await ledger.submit(tx) } catch { return }
        statistics.transactionsSubmitted += 1
        _ = broadcast(from: node.index, .transaction(tx))
    }

    /// One line per event: time, event, and the receiving validator's machine before it.
    func printTrace(_ event: SimulationEvent) async {
        var target: SimulatedNode?
        var text: String
        switch event {
        case .deliver(let to, let from, let message):
            target = nodes[to]
            switch message {
            case .proposal(let proposal, _): text = "v\(from) -> v\(to) proposal h\(proposal.height) r\(proposal.round)"
            case .vote(let vote):
                text =
                    "v\(from) -> v\(to) \(vote.vote.type.name) h\(vote.vote.height) r\(vote.vote.round) "
                    + (vote.vote.blockHash.map { "\($0)".prefix(8).description } ?? "nil")
            default: text = "v\(from) -> v\(to) \(message.kind)"
            }
        case .wake(let index, let incarnation, let wakeup):
            target = nodes[index]
            switch wakeup {
            case .timeout(let timeout): text = "v\(index)#\(incarnation) timeout \(timeout)"
            case .tick: return
            case .message: text = "v\(index)#\(incarnation) message"
            }
        default: text = "\(event)"
        }
        let state = await target?.driver?.machineDescription ?? ""
        print("\(now) \(text) [\(state)]")
    }
}
