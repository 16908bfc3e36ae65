import Foundation
import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore
import MedLedgerNode
import MedLedgerStorage
import Testing
import MedLedgerTesting

/// Blob replication between four real node processes: a report uploaded to node 0 survives
/// node 0's SIGKILL and is read through node 2; a node that lost a blob fetches it when asked
/// and repairs at restart; a storage policy keeps a blob off nodes outside it.
@Suite(.serialized) struct BlobReplicationProcessTests {
    let processes = TestnetProcessTests()

    /// A 4-node network started from `testnet init`, with org 0's admin, an author of org 0
    /// and a patient registered through node 0.
    struct Cast {
        var network: TestnetProcessTests.Network
        let genesis: Genesis
        let admin: ClientIdentity
        let author: ClientIdentity
        let patient: ClientIdentity

        /// A client of `node` that collects key shares from the nodes in `custodians`.
        func client(_ me: ClientIdentity, node: Int, custodians: [Int] = []) -> LedgerClient {
            func gateway(_ index: Int) -> HTTPGateway {
                HTTPGateway(baseURL: network.url(index), me: me, trustAnchor: genesis)
            }
            return LedgerClient(gateway: gateway(node), me: me, otherCustodians: custodians.map(gateway))
        }

        func blobStore(_ node: Int) throws -> FileBlobStore {
            try FileBlobStore(dataDirectory: network.directory.appendingPathComponent("node\(node)"))
        }
    }

    func startNetwork(residency: [Int: [Int]] = [:]) async throws -> Cast {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "medledger-blobs-\(UUID().uuidString)")
        let basePort = try TestPorts.block(40)
        let genesis = try Testnet.initialize(
            validators: 4, directory: directory, basePort: basePort, chainID: "medledger-it",
            time: ConsensusTime(wallClock: SystemClock.now()), residency: residency)
        var network = TestnetProcessTests.Network(
            directory: directory, basePort: basePort, processes: [nil, nil, nil, nil])
        for index in 0..<4 { try processes.start(&network, index) }
        #expect(await processes.waitForHeight(network, [0, 1, 2, 3], 2, seconds: 60), "the network never started")
        let orgKeys = try KeyFile.load(directory.appendingPathComponent("org-keys/org0.json")).keys()
        let admin = ClientIdentity(label: "org0", keys: orgKeys)
        let author = ClientIdentity(label: "author", keys: .generate())
        let patient = ClientIdentity(label: "patient", keys: .generate())
        var cast = Cast(network: network, genesis: genesis, admin: admin, author: author, patient: patient)
        _ = try await cast.client(admin, node: 0).registerPractitioner(
            author.keys, organization: admin.id, roles: [.author, .approver])
        try await cast.client(patient, node: 0).registerSelfAsPatient()
        cast.network = network
        await waitForEveryNode(cast, toReachHeightOf: 0)
        return cast
    }

    func stop(_ cast: inout Cast) {
        for index in 0..<4 { processes.kill(&cast.network, index) }
        try? FileManager.default.removeItem(at: cast.network.directory)
    }

    /// How often a wait looks at the blob stores: each look hashes a 2 MB file per node.
    static let storePoll = Duration.milliseconds(200)

    /// Several chunks' worth of report, so a transfer takes more than one request.
    static let body = (0..<(2 * 1024 * 1024 + 12_345)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }

    /// Waits until all four nodes hold what `node` has committed. A write returns once the
    /// node it went through has committed it; the others follow a moment later, and a test
    /// that reads through them must not race that (CI saw "not found: patient" on node 2 after
    /// registering through node 0, and "no access" on node 0 to a report submitted via node 2).
    func waitForEveryNode(_ cast: Cast, toReachHeightOf node: Int) async {
        let height = await processes.status(cast.network, node)?.height ?? 0
        #expect(height > 0, "node \(node) did not answer its status")
        #expect(
            await processes.waitForHeight(cast.network, [0, 1, 2, 3], height, seconds: 30),
            "the nodes never reached height \(height)")
    }

    /// Uploads and submits a report through node `via`, once every node holds it.
    func submit(_ cast: Cast, via: Int = 0) async throws -> (ReportID, Hash256) {
        let (report, _) = try await cast.client(cast.author, node: via).submitReport(
            patient: cast.patient.id, category: Code("LAB")!, draft: ReportDraft(title: "CBC", body: Self.body))
        await waitForEveryNode(cast, toReachHeightOf: via)
        let record = try await cast.client(cast.patient, node: 0).gateway.report(report, caller: cast.patient)
        return (report, record.latest.content.contentAddress)
    }

    @Test func reportUploadedToNodeZeroIsReadThroughNodeTwoAfterNodeZeroIsKilled() async throws {
        guard CLIProcess.isBuilt() else { return }
        var cast = try await startNetwork()
        defer { stop(&cast) }
        let (report, address) = try await submit(cast)
        let stores = try (0..<4).map(cast.blobStore)
        #expect(
            await eventually(timeout: .seconds(30), every: Self.storePoll) { stores.allSatisfy { $0.verify(address) } },
            "not replicated")
        // Every node attests on the ledger that it holds the blob; the report view counts them.
        let gateway = HTTPGateway(baseURL: cast.network.url(2), me: cast.patient)
        var holders = [IdentityID]()
        for _ in 0..<150 where holders.count < 4 {
            holders = try await gateway.blobHolders(report: report, caller: cast.patient)[1] ?? []
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(Set(holders) == Set(cast.genesis.validators.map(\.id)), "attested holders: \(holders)")

        // A reader of the lab (no envelope of its own) needs 3 of the 4 custodians' key shares.
        let reader = ClientIdentity(label: "reader", keys: .generate())
        _ = try await cast.client(cast.admin, node: 1).registerPractitioner(
            reader.keys, organization: cast.admin.id, roles: [.reader])

        processes.kill(&cast.network, 0)
        // With node 0 killed, the reader's key still comes from three custodians over HTTP,
        // and node 0 is named as one that could not help.
        let threshold = try await cast.client(reader, node: 2, custodians: [0, 1, 3]).read(report, purpose: .treatment)
        #expect(threshold.report?.plaintext == Self.body)
        #expect(threshold.custody?.sharesUsed.count == 3)
        #expect(threshold.custody?.failures.map(\.node) == [cast.network.url(0).absoluteString])
        // `verify` holds node 0 to what it attested: intact, then missing the blob.
        #expect(try verify(cast, node: 0).status == 0)
        stores[0].remove(address)
        let broken = try verify(cast, node: 0)
        #expect(broken.status == 1 && broken.output.contains("attested"), "\(broken.output)")
        // Node 2 loses its copy: asked for it, it fetches it from node 1 or 3 before answering.
        stores[2].remove(address)
        let read = try await cast.client(cast.patient, node: 2).read(report, purpose: .treatment)
        #expect(read.report?.plaintext == Self.body)
        #expect(stores[2].verify(address), "node 2 did not keep the blob it fetched")

        // Node 3 loses its copy while down: it repairs at restart.
        processes.kill(&cast.network, 3)
        stores[3].remove(address)
        try processes.start(&cast.network, 3)
        #expect(
            await eventually(timeout: .seconds(40), every: Self.storePoll) { stores[3].verify(address) },
            "node 3 did not repair")
    }

    /// Runs `medledger verify` on a node's data directory: exit status and output.
    func verify(_ cast: Cast, node: Int) throws -> (status: Int32, output: String) {
        try CLIProcess.runToEnd([
            "verify", "--data-dir", cast.network.directory.appendingPathComponent("node\(node)").path,
        ])
    }

    @Test func blobNeverReachesANodeOutsideItsOrganizationsPolicy() async throws {
        guard CLIProcess.isBuilt() else { return }
        // Organization 0's blobs may live only on the nodes of organizations 0 and 1; its author
        // uploads to node 2 all the same.
        var cast = try await startNetwork(residency: [0: [0, 1]])
        defer { stop(&cast) }
        let (report, address) = try await submit(cast, via: 2)
        let stores = try (0..<4).map(cast.blobStore)
        #expect(
            await eventually(timeout: .seconds(30), every: Self.storePoll) {
                stores[0].verify(address) && stores[1].verify(address)
            }, "not replicated")
        let allowed = Set([cast.genesis.validators[0].id, cast.genesis.validators[1].id])
        let gateway = HTTPGateway(baseURL: cast.network.url(1), me: cast.patient)
        var holders = [IdentityID]()
        for _ in 0..<150 where holders.count < 2 {
            holders = try await gateway.blobHolders(report: report, caller: cast.patient)[1] ?? []
            try await Task.sleep(nanoseconds: 200_000_000)
        }
        #expect(Set(holders) == allowed, "attested holders: \(holders)")
        // Once both allowed nodes attest it, node 2 lets its uploaded copy go.
        #expect(
            await eventually(timeout: .seconds(30), every: Self.storePoll) { !stores[2].contains(address) },
            "node 2 kept a blob outside its policy")

        // Asked through node 2, the read is refused rather than fetched across the policy.
        await #expect(throws: (any Error).self) {
            _ = try await cast.client(cast.patient, node: 2).read(report, purpose: .treatment)
        }
        // A repair round later, still only on nodes 0 and 1.
        try await Task.sleep(nanoseconds: (Limits.blobRepairIntervalMilliseconds + 2_000) * 1_000_000)
        #expect(!stores[2].contains(address) && !stores[3].contains(address), "a blob left its storage policy")
        #expect(stores[0].verify(address) && stores[1].verify(address))
    }
}
