import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import MedLedgerCore

/// The few HTTP calls the load generator makes, with plain URLSession.
struct BenchHTTP: Sendable {
    struct Status: Decodable {
        let chainId: String
        let height: UInt64
        let validatorList: [Validator]
        var validators: Int { validatorList.count }
        struct Validator: Decodable { let id: String }
        enum CodingKeys: String, CodingKey {
            case chainId, height
            case validatorList = "validators"
        }
    }

    let nodes: [URL]

    func status(node: Int) async throws -> Status {
        let (data, _) = try await URLSession.shared.data(from: nodes[node].appendingPathComponent("v1/status"))
        return try JSONDecoder().decode(Status.self, from: data)
    }

    func blockTransactions(height: UInt64) async throws -> [String] {
        struct BlockView: Decodable { let transactions: [String] }
        let url = nodes[0].appendingPathComponent("v1/blocks/\(height)")
        let (data, _) = try await URLSession.shared.data(from: url)
        return try JSONDecoder().decode(BlockView.self, from: data).transactions
    }

    /// Submits one transaction; true when the node accepted it (202/200).
    func submit(_ tx: Transaction, node: Int) async throws -> Bool {
        var request = URLRequest(url: nodes[node % nodes.count].appendingPathComponent("v1/transactions"))
        request.httpMethod = "POST"
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        request.httpBody = try JSONEncoder().encode(["transaction": Data(tx.encoded).base64EncodedString()])
        let (_, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return status == 200 || status == 202
    }
}

/// Sends pre-signed transactions on a schedule with a bounded number in flight.
struct Submitter: Sendable {
    let client: BenchHTTP
    let tracker: CommitTracker
    let rate: Double?
    let durationSeconds: Double
    let concurrency: Int

    func submit(_ transactions: [Transaction]) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(durationSeconds * 1e9)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for worker in 0..<concurrency {
                group.addTask {
                    var index = worker
                    while index < transactions.count {
                        if let rate {
                            let due = start + UInt64(Double(index) / rate * 1e9)
                            let now = DispatchTime.now().uptimeNanoseconds
                            if due > now { try await Task.sleep(nanoseconds: due - now) }
                        }
                        let now = DispatchTime.now().uptimeNanoseconds
                        guard now < end else { return }
                        let tx = transactions[index]
                        await tracker.submitted(tx.hash, at: now)
                        if !(try await client.submit(tx, node: index)) { await tracker.rejected(tx.hash) }
                        index += concurrency
                    }
                }
            }
            try await group.waitForAll()
        }
    }
}
