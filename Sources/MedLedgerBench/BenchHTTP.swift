import AsyncHTTPClient
import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import NIOCore
import NIOHTTP1
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The few HTTP calls the load generator makes: the client generated from `openapi.json`,
/// over async-http-client, for the occasional ones; `BenchWire` for the two made thousands of
/// times a run (a batch submitted, the next block asked for), decoded with the generated types.
struct BenchHTTP: Sendable {
    let nodes: [URL]
    private let clients: [Client]
    private let wire: BenchWire

    init(nodes: [URL]) {
        self.nodes = nodes
        let transport = AsyncHTTPClientTransport(
            configuration: .init(client: .shared, timeout: .seconds(Limits.httpClientRequestTimeoutSeconds)))
        clients = nodes.map { Client(serverURL: $0, transport: transport) }
        wire = BenchWire(nodes: nodes)
    }

    func status(node: Int) async throws -> Components.Schemas.Status {
        try await clients[node].getStatus().ok.body.json
    }

    /// The transaction hashes of node 0's block at `height`, or nil while it has none there
    /// (404): one round trip tells the watcher both that the block is committed and what it holds.
    /// Node 0 holds the request until the block commits, up to `waitMilliseconds`.
    func committedTransactions(height: UInt64, waitMilliseconds: Int = 1_000) async throws -> [String]? {
        let response = try await wire.request(
            node: 0, method: .GET, path: "/v1/blocks/\(height)?wait=\(waitMilliseconds)")
        switch response.status {
        case .ok: return try Self.decode(Components.Schemas.Block.self, response).transactions
        case .notFound: return nil
        default: throw BenchError("node 0 answered GET /v1/blocks/\(height) with \(response.status.code)")
        }
    }

    /// A block's header fields as node `node` serves them (`bench --preload` compares nodes).
    func block(height: Int, node: Int) async throws -> Components.Schemas.Block {
        try await clients[node].getBlock(path: .init(height: String(height))).ok.body.json
    }

    /// Submits a batch (POST /v1/transaction-batches); returns the hashes the node refused.
    func submit(batch: ArraySlice<Transaction>, node: Int) async throws -> [Hash256] {
        let target = node % nodes.count
        // Base64 has no character JSON escapes, so the body is written as it goes.
        var body = ByteBuffer(string: #"{"transactions":["#)
        for (offset, transaction) in batch.enumerated() {
            body.writeString(offset == 0 ? "\"" : ",\"")
            body.writeString(transaction.encoded.base64)
            body.writeString("\"")
        }
        body.writeString("]}")
        let response = try await wire.request(node: target, method: .POST, path: "/v1/transaction-batches", body: body)
        guard response.status == .ok else {
            throw BenchError(
                "node \(target) answered POST /v1/transaction-batches with \(response.status.code): \(String(buffer: response.body).prefix(300))"
            )
        }
        let outcomes = try Self.decode(Components.Schemas.TransactionBatchResult.self, response).results
        let items = Array(batch)
        return outcomes.filter { $0.status != .pending && $0.index < items.count }.map { items[$0.index].hash }
    }

    private static func decode<Value: Decodable>(_ type: Value.Type, _ response: BenchWire.Response) throws -> Value {
        try JSONDecoder().decode(type, from: Data(response.body.readableBytesView))
    }
}
