import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedLedgerClient
import MedLedgerAPIModel
import Testing
import MedLedgerCore
import MedLedgerNode
import MedLedgerTesting

/// Four real `medledger node start` processes on loopback: crash one with SIGKILL under
/// load, watch the others go on, restart it and watch it catch up; kill two and watch
/// progress stop without divergence, restart one and watch it resume.
@Suite struct TestnetProcessTests {
    struct Network {
        let directory: URL
        let basePort: Int
        var processes: [Process?]
        func url(_ index: Int) -> URL {
            URL(string: "http://127.0.0.1:\(Testnet.httpPort(base: basePort, index: index))")!
        }
    }

    func start(_ network: inout Network, _ index: Int) throws {
        let process = Process()
        process.executableURL = CLIProcess.binary
        process.arguments = [
            "node", "start", "--data-dir", network.directory.appendingPathComponent("node\(index)").path,
        ]
        let log = network.directory.appendingPathComponent("node\(index).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        let handle = try FileHandle(forWritingTo: log)
        handle.seekToEndOfFile()
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        network.processes[index] = process
    }

    func kill(_ network: inout Network, _ index: Int) {
        guard let process = network.processes[index] else { return }
        Foundation.kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        network.processes[index] = nil
    }

    struct Status: Decodable {
        let height: UInt64
        let appHash: String
    }
    struct BlockView: Decodable {
        let hash: String
        let appHash: String
    }

    func status(_ network: Network, _ index: Int) async -> Status? {
        guard
            let (data, _) = try? await URLSession.shared.data(
                from: network.url(index).appendingPathComponent("v1/status"))
        else {
            return nil
        }
        return try? JSONDecoder().decode(Status.self, from: data)
    }

    func block(_ network: Network, _ index: Int, _ height: UInt64) async -> BlockView? {
        let url = network.url(index).appendingPathComponent("v1/blocks/\(height)")
        guard let (data, _) = try? await URLSession.shared.data(from: url) else { return nil }
        return try? JSONDecoder().decode(BlockView.self, from: data)
    }

    /// Waits until every listed node reaches `height`; false on timeout.
    func waitForHeight(_ network: Network, _ nodes: [Int], _ height: UInt64, seconds: Double) async -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            var all = true
            for index in nodes where (await status(network, index)?.height ?? 0) < height { all = false }
            if all { return true }
            try? await Task.sleep(nanoseconds: 100_000_000)
        }
        return false
    }

    /// All listed nodes hold the same block hash and app hash at every height up to `height`.
    func expectAgreement(_ network: Network, _ nodes: [Int], upTo height: UInt64) async {
        for h in 1...height {
            var hashes = Set<String>()
            for index in nodes { hashes.insert((await block(network, index, h))?.hash ?? "missing") }
            #expect(hashes.count == 1 && !hashes.contains("missing"), "height \(h): \(hashes)")
        }
    }

    @Test func crashAndCatchUp() async throws {
        guard CLIProcess.isBuilt() else { return }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "medledger-testnet-\(UUID().uuidString)")
        let basePort = try TestPorts.block(40)
        _ = try Testnet.initialize(
            validators: 4, directory: directory, basePort: basePort, chainID: "medledger-it",
            time: ConsensusTime(wallClock: SystemClock.now()))
        var network = Network(directory: directory, basePort: basePort, processes: [nil, nil, nil, nil])
        defer {
            for index in 0..<4 { kill(&network, index) }
            try? FileManager.default.removeItem(at: directory)
        }
        for index in 0..<4 { try start(&network, index) }
        #expect(await waitForHeight(network, [0, 1, 2, 3], 3, seconds: 60), "the network never reached height 3")

        // Load while node 3 is killed.
        let entry = network.url(0)
        let load = Task { try await Self.submitLoad(to: entry, count: 30) }
        kill(&network, 3)
        let committed = try await load.value
        let heightWithout3 = await status(network, 0)?.height ?? 0
        #expect(
            await waitForHeight(network, [0, 1, 2], heightWithout3 + 2, seconds: 30), "three nodes stopped committing")

        // Node 3 restarts and catches up.
        try start(&network, 3)
        let target = await status(network, 0)?.height ?? 0
        #expect(await waitForHeight(network, [3], target, seconds: 60), "node 3 did not catch up")
        await expectAgreement(network, [0, 1, 2, 3], upTo: target)
        for hash in committed {
            let url = network.url(3).appendingPathComponent("v1/transactions/\(hash.hex)")
            let (data, _) = try await URLSession.shared.data(from: url)
            #expect(String(decoding: data, as: UTF8.self).contains("\"committed\""), "tx \(hash) lost on node 3")
        }

        // Two down: no progress, no divergence; one back: progress resumes.
        kill(&network, 2)
        kill(&network, 3)
        try await Task.sleep(nanoseconds: 3_000_000_000)
        let stalled = await status(network, 0)?.height ?? 0
        try await Task.sleep(nanoseconds: 5_000_000_000)
        #expect(await status(network, 0)?.height == stalled, "progressed with only two of four validators")
        #expect(await status(network, 1)?.height ?? 0 <= stalled + 1)
        try start(&network, 2)
        #expect(await waitForHeight(network, [0, 1, 2], stalled + 2, seconds: 60), "progress did not resume")
        await expectAgreement(network, [0, 1, 2], upTo: stalled + 1)
    }

    /// Registers patients through node 0 and waits for each commit; returns their hashes.
    static func submitLoad(to url: URL, count: Int) async throws -> [Hash256] {
        let gateway = HTTPGateway(baseURL: url)
        var hashes = [Hash256]()
        for _ in 0..<count {
            let keys = IdentityKeys.generate()
            let tx = Transaction(
                chainID: "medledger-it", signer: keys.identityID, keys: keys, nonce: 1,
                payload: .registerPatient(RegisterPatient(keys: keys)))
            let hash = try await gateway.submit(tx)
            _ = try await gateway.waitForCommit(hash)
            hashes.append(hash)
        }
        return hashes
    }
}
