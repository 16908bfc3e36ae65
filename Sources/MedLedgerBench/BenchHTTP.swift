import AsyncHTTPClient
import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The few HTTP calls the load generator makes: the client generated from `openapi.json`,
/// over async-http-client.
struct BenchHTTP: Sendable {
    let nodes: [URL]
    private let clients: [Client]

    init(nodes: [URL]) {
        self.nodes = nodes
        let transport = AsyncHTTPClientTransport(
            configuration: .init(client: .shared, timeout: .seconds(Limits.httpClientRequestTimeoutSeconds)))
        clients = nodes.map { Client(serverURL: $0, transport: transport) }
    }

    func status(node: Int) async throws -> Components.Schemas.Status {
        try await clients[node].getStatus().ok.body.json
    }

    /// The transaction hashes of node 0's block at `height`, or nil while it has none there
    /// (404): one round trip tells the watcher both that the block is committed and what it holds.
    func committedTransactions(height: UInt64) async throws -> [String]? {
        switch try await clients[0].getBlock(path: .init(height: String(height))) {
        case .ok(let found): return try found.body.json.transactions
        case .notFound: return nil
        case .badRequest: throw BenchError("node 0 refused GET /v1/blocks/\(height) as a bad request")
        case .undocumented(let status, _): throw BenchError("node 0 answered GET /v1/blocks/\(height) with \(status)")
        }
    }

    /// A block's header fields as node `node` serves them (`bench --preload` compares nodes).
    func block(height: Int, node: Int) async throws -> Components.Schemas.Block {
        try await clients[node].getBlock(path: .init(height: String(height))).ok.body.json
    }

    /// Submits a batch (POST /v1/transaction-batches); returns the hashes the node refused.
    func submit(batch: ArraySlice<Transaction>, node: Int) async throws -> [Hash256] {
        let outcomes = try await clients[node % clients.count].submitTransactionBatch(
            body: .json(.init(transactions: batch.map { $0.encoded.base64 }))
        ).ok.body.json.results
        let items = Array(batch)
        return outcomes.filter { $0.status != .pending && $0.index < items.count }.map { items[$0.index].hash }
    }
}
