import Foundation
import MedLedgerCore
import Testing

@testable import MedLedgerBench

/// The bench's lean HTTP client against a node serving its real API in this process: the
/// refusals it reports are the node's, a missing block is nil, and a node that is not there
/// is an error, not a hang.
@Suite struct BenchWireTests {
    @Test(.timeLimit(.minutes(2)))
    func submitReportsExactlyTheRefusedTransactionsAndTheWatcherSeesTheCommit() async throws {
        let (node, url, stop) = try await BenchWorkloadTests.servingNode()
        defer { stop() }
        let client = BenchHTTP(nodes: [url])
        let good = LoadGenerator.presign(count: 3, chainID: node.node.genesis.chainID)
        let foreign = LoadGenerator.presign(count: 1, chainID: "another-chain")
        let batch = [good[0], foreign[0], good[1], good[2]]

        let refused = try await client.submit(batch: batch[...], node: 0)

        #expect(refused == [foreign[0].hash])
        #expect(try await client.committedTransactions(height: 1_000_000) == nil)
        var seen: Set<String> = []
        var height: UInt64 = 1
        while seen.count < 3 {
            guard let hashes = try await client.committedTransactions(height: height) else {
                try await Task.sleep(nanoseconds: 20_000_000)
                continue
            }
            seen.formUnion(hashes)
            height += 1
        }
        #expect(seen == Set(good.map(\.hash.hex)))
    }

    @Test(.timeLimit(.minutes(1)))
    func aNodeThatIsNotListeningIsAnError() async throws {
        // Port 1 (tcpmux) is privileged and unused on a build machine: the connect is refused.
        let client = BenchHTTP(nodes: [URL(string: "http://127.0.0.1:1")!])
        await #expect(throws: (any Error).self) { _ = try await client.committedTransactions(height: 1) }
    }

    @Test func aNodeURLThatIsNotPlainHTTPIsRefusedByName() async throws {
        let client = BenchHTTP(nodes: [URL(string: "https://127.0.0.1:1")!])
        let error = await #expect(throws: BenchError.self) { _ = try await client.committedTransactions(height: 1) }
        #expect(error?.description.contains("https://127.0.0.1:1") == true)
    }
}
