import Foundation
import Logging
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore
import MedLedgerNode
import MedLedgerContracts
import MedLedgerStorage
import MedLedgerVerifier

/// `medledger demo`: a small consortium (hospital, lab, clinic) on one node — or on a
/// network of validators in this process, talking over loopback sockets — and the whole
/// life of a lab report told step by step in plain words.
public struct DemoStory {
    let directory: DataDirectory
    let validators: Int
    let basePort: Int
    let say: @Sendable (String) -> Void

    /// - Parameters:
    ///   - validators: 1 keeps the node directly in `directory`; more puts node K in
    ///     `directory/nodeK` with peer-to-peer on `basePort + 10·K + 1`.
    public init(
        directory: DataDirectory, validators: Int = 1, basePort: Int = 26_900,
        say: @escaping @Sendable (String) -> Void
    ) {
        precondition(validators >= 1 && validators <= 16, "the demo runs 1-16 validators")
        self.directory = directory
        self.validators = validators
        self.basePort = basePort
        self.say = say
    }

    /// What the demo left behind, for tests.
    public struct Outcome: Sendable {
        public let report: ReportID
        public let patient: IdentityID
        public let blocks: Height
        public let deniedReadCode: ResultCode
        /// Where the last read's key came from (with several validators, one of them down).
        public let lastReadCustody: CustodyOutcome?
    }

    var nodeDirectories: [DataDirectory] {
        validators == 1
            ? [directory] : (0..<validators).map { DataDirectory(directory.url.appendingPathComponent("node\($0)")) }
    }

    public func run() async throws -> Outcome {
        let cast = try prepareConsortium()
        var logger = Logger(label: "medledger.demo")
        logger.logLevel = .warning
        let configuration = NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 1_000)
        let nodes = try nodeDirectories.map {
            try LedgerNode(dataDirectory: $0, configuration: configuration, logger: logger)
        }
        var runtimes = [Task<Void, Never>]()
        for (node, folder) in zip(nodes, nodeDirectories) {
            runtimes.append(try await NodeRuntime.start(node: node, directory: folder, p2p: nil, logger: logger))
        }
        defer { for runtime in runtimes { runtime.cancel() } }
        say(
            validators == 1
                ? "Started a node on SQLite in \(directory.url.path) (chain \(nodes[0].genesis.chainID), 1 validator)."
                : "Started \(validators) validators (Tendermint over loopback), each on its own SQLite in \(directory.url.path)/nodeK."
        )
        let stoppable = runtimes
        let outcome = try await Chapters(
            node: nodes[0], blobMirrors: Array(nodes.dropFirst()), cast: cast, say: say,
            stopValidator: { index in
                stoppable[index].cancel()
                _ = await stoppable[index].value
            }
        ).tell()
        for runtime in runtimes {
            runtime.cancel()
            _ = await runtime.value
        }
        return try verifyAll(outcome, nodes: nodes)
    }

    private func verifyAll(_ outcome: Chapters.Result, nodes: [LedgerNode]) throws -> Outcome {
        say("")
        say(
            "Step 13. Verifying the whole ledger from genesis: hash chain, certificates, signatures, state roots, blobs."
        )
        var blocks: Height = 0
        for (index, folder) in nodeDirectories.enumerated() {
            let summary = try LedgerVerifier(directory: folder).verify()
            let name = validators == 1 ? "" : "node\(index): "
            say(
                "   \(name)intact: \(summary.blocks) blocks, \(summary.transactions) transactions, \(summary.stateEntries) state entries, \(summary.blobs) encrypted blobs."
            )
            blocks = index == 0 ? summary.blocks : blocks
        }
        say("")
        say("Done. Inspect it yourself: medledger verify --data-dir \(nodeDirectories[0].url.path)")
        return Outcome(
            report: outcome.report, patient: outcome.patient, blocks: blocks,
            deniedReadCode: outcome.deniedReadCode, lastReadCustody: outcome.lastReadCustody)
    }

    /// Writes a fresh genesis with three organizations and the validators. A directory left
    /// by an earlier demo is replaced; any other non-empty directory is refused.
    func prepareConsortium() throws -> DemoConsortium {
        let manager = FileManager.default
        let marker = directory.url.appendingPathComponent("demo-keys")
        if manager.fileExists(atPath: directory.url.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: directory.url.path)) ?? []
            guard contents.isEmpty || manager.fileExists(atPath: marker.path) else {
                throw NodeError(
                    .conflict, field: "data-dir",
                    "\(directory.url.path) is not empty and was not made by `demo`; choose another --data-dir")
            }
            try manager.removeItem(at: directory.url)
        }
        let cast = DemoConsortium.generate()
        let nodeKeys = [cast.node] + (1..<validators).map { _ in IdentityKeys.generate() }
        let genesis = Genesis(
            chainID: "medledger-demo", genesisTime: ConsensusTime(wallClock: SystemClock.now()),
            validators: nodeKeys.enumerated().map {
                Validator(
                    name: "node\($0.offset)", signingKey: $0.element.publicSigningKey,
                    encryptionKey: $0.element.publicEncryptionKey, power: 1)
            },
            organizations: [
                ("St. Mary's Hospital", cast.hospital.keys), ("Northside Laboratory", cast.lab.keys),
                ("Riverside Clinic", cast.clinic.keys),
            ].map {
                GenesisOrganization(
                    name: $0.0, signingKey: $0.1.publicSigningKey, encryptionKey: $0.1.publicEncryptionKey)
            })
        for (index, folder) in nodeDirectories.enumerated() {
            try folder.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node\(index)", keys: nodeKeys[index]))
            guard validators > 1 else { continue }
            let peers = (0..<validators).filter { $0 != index }.map {
                NetworkConfig.Peer(
                    id: nodeKeys[$0].identityID, address: "127.0.0.1:\(Testnet.p2pPort(base: basePort, index: $0))")
            }
            try NetworkConfig(
                http: "127.0.0.1:\(Testnet.httpPort(base: basePort, index: index))",
                p2p: "127.0.0.1:\(Testnet.p2pPort(base: basePort, index: index))", peers: peers
            ).write(to: folder)
        }
        try cast.writeKeys(to: marker)
        return cast
    }
}
