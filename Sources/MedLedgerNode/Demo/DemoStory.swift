import Foundation
import Logging
import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

/// `medledger demo`: a small consortium (hospital, lab, clinic) on one node, and the whole
/// life of a lab report told step by step in plain words.
public struct DemoStory {
    let directory: DataDirectory
    let say: @Sendable (String) -> Void

    public init(directory: DataDirectory, say: @escaping @Sendable (String) -> Void) {
        self.directory = directory
        self.say = say
    }

    /// What the demo left behind, for tests.
    public struct Outcome: Sendable {
        public let report: ReportID
        public let patient: IdentityID
        public let blocks: Height
        public let deniedReadCode: ResultCode
    }

    public func run() async throws -> Outcome {
        let cast = try prepareConsortium()
        var logger = Logger(label: "medledger.demo")
        logger.logLevel = .warning
        let node = try LedgerNode(dataDirectory: directory,
                                  configuration: NodeConfiguration(batchDelayMilliseconds: 5, emptyBlockIntervalMilliseconds: 1_000),
                                  logger: logger)
        let producer = Task { await node.runProducer() }
        defer { producer.cancel() }
        say("Started a node on SQLite in \(directory.url.path) (chain \(node.genesis.chainID), 1 validator).")
        let outcome = try await Chapters(node: node, cast: cast, say: say).tell()
        producer.cancel()
        _ = await producer.value
        say("")
        say("Step 13. Verifying the whole ledger from genesis: hash chain, certificates, signatures, state roots, blobs.")
        let summary = try LedgerVerifier(directory: directory).verify()
        say("   Intact: \(summary.blocks) blocks, \(summary.transactions) transactions, \(summary.stateEntries) state entries, \(summary.blobs) encrypted blobs.")
        say("")
        say("Done. Inspect it yourself: medledger verify --data-dir \(directory.url.path)")
        return Outcome(report: outcome.report, patient: outcome.patient, blocks: summary.blocks,
                       deniedReadCode: outcome.deniedReadCode)
    }

    /// Writes a fresh genesis with three organizations and one validator. A directory left
    /// by an earlier demo is replaced; any other non-empty directory is refused.
    func prepareConsortium() throws -> DemoConsortium {
        let manager = FileManager.default
        let marker = directory.url.appendingPathComponent("demo-keys")
        if manager.fileExists(atPath: directory.url.path) {
            let contents = (try? manager.contentsOfDirectory(atPath: directory.url.path)) ?? []
            guard contents.isEmpty || manager.fileExists(atPath: marker.path) else {
                throw NodeError(.conflict, field: "data-dir",
                                "\(directory.url.path) is not empty and was not made by `demo`; choose another --data-dir")
            }
            try manager.removeItem(at: directory.url)
        }
        let cast = DemoConsortium.generate()
        let genesis = SingleValidatorGenesis.make(
            chainID: "medledger-demo", time: SystemClock.now(), nodeKeys: cast.node,
            organizations: [("St. Mary's Hospital", cast.hospital.keys), ("Northside Laboratory", cast.lab.keys),
                            ("Riverside Clinic", cast.clinic.keys)])
        try directory.initialize(genesis: genesis, nodeKeys: KeyFile(label: "node0", keys: cast.node))
        try cast.writeKeys(to: marker)
        return cast
    }
}
