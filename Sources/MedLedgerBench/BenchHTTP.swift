import AsyncHTTPClient
import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import NIOCore
import NIOFoundationCompat

/// The few HTTP calls the load generator makes, with async-http-client, in the API model's
/// own shapes.
struct BenchHTTP: Sendable {
    let nodes: [URL]

    func status(node: Int) async throws -> StatusView {
        try await get(StatusView.self, nodes[node].appendingPathComponent("v1/status"))
    }

    func blockTransactions(height: UInt64) async throws -> [String] {
        try await get(BlockView.self, nodes[0].appendingPathComponent("v1/blocks/\(height)")).transactions
    }

    /// Submits a batch (POST /v1/transaction-batches); returns the hashes the node refused.
    func submit(batch: ArraySlice<Transaction>, node: Int) async throws -> [Hash256] {
        var request = HTTPClientRequest(
            url: nodes[node % nodes.count].appendingPathComponent("v1/transaction-batches").absoluteString)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        let body = try JSONEncoder().encode(SubmitBatchBody(transactions: batch.map { $0.encoded.base64 }))
        request.body = .bytes(ByteBuffer(data: body))
        let outcomes = try await send(BatchResultView.self, request).results
        let items = Array(batch)
        return outcomes.filter { $0.status != "pending" && $0.index < items.count }.map { items[$0.index].hash }
    }

    private func get<T: Decodable>(_ type: T.Type, _ url: URL) async throws -> T {
        try await send(type, HTTPClientRequest(url: url.absoluteString))
    }

    private func send<T: Decodable>(_ type: T.Type, _ request: HTTPClientRequest) async throws -> T {
        let response = try await HTTPClient.shared.execute(
            request, timeout: .seconds(Limits.httpClientRequestTimeoutSeconds))
        let body = try await response.body.collect(upTo: Limits.httpClientAnswerMaxBytes)
        return try JSONDecoder().decode(type, from: body)
    }
}

/// Sends pre-signed transactions on a schedule with a bounded number in flight.
struct Submitter: Sendable {
    static let batchMaxCount = 200
    let client: BenchHTTP
    let tracker: CommitTracker
    let rate: Double?
    let durationSeconds: Double
    let concurrency: Int

    /// Every few milliseconds, sends what is due by the schedule (all of it at the maximum
    /// rate) in batches, round-robin over the nodes, with at most `concurrency` in flight.
    func submit(_ transactions: [Transaction]) async throws {
        let start = DispatchTime.now().uptimeNanoseconds
        let end = start + UInt64(durationSeconds * 1e9)
        try await withThrowingTaskGroup(of: Void.self) { group in
            var next = 0
            var inFlight = 0
            var batchNumber = 0
            while next < transactions.count {
                let now = DispatchTime.now().uptimeNanoseconds
                guard now < end else { break }
                let due =
                    rate.map { min(transactions.count, Int(Double(now - start) / 1e9 * $0) + 1) } ?? transactions.count
                guard due > next else {
                    try await Task.sleep(nanoseconds: 2_000_000)
                    continue
                }
                if inFlight >= concurrency {
                    try await group.next()
                    inFlight -= 1
                }
                let batch = transactions[next..<min(due, next + Self.batchMaxCount)]
                for tx in batch { await tracker.submitted(tx.hash, at: now) }
                let node = batchNumber
                group.addTask {
                    for refused in try await client.submit(batch: batch, node: node) { await tracker.rejected(refused) }
                }
                inFlight += 1
                batchNumber += 1
                next += batch.count
            }
            try await group.waitForAll()
        }
    }
}
