import Foundation
import Hummingbird
import MedLedgerAPIModel
import MedLedgerHTTPInterface
import MedLedgerNode

/// The routes that are not JSON API calls, routed by hand: the OpenAPI document itself,
/// Prometheus metrics (text exposition) and the genesis the node runs. The FHIR facade
/// (`/fhir/...`, including `/fhir/metadata`) is `FHIRRoutes`.
struct MetaRoutes: Sendable {
    let node: LedgerNode
    let metrics: APIMetrics

    func register(on router: Router<APIRequestContext>) {
        router.get("/openapi.json") { _, _ in
            APIEncoding.bytes(Array(OpenAPIDocumentText.json.utf8), contentType: APIEncoding.jsonContentType)
        }
        router.get("/metrics") { _, _ in try await metricsText() }
        let genesis = genesisJSON()
        router.get("/v1/genesis") { _, _ in
            APIEncoding.bytes(genesis, contentType: APIEncoding.jsonContentType)
        }
    }

    /// `GET /v1/genesis`: the genesis encoded as `node init` writes genesis.json (pretty,
    /// sorted keys), so a client sees the same document the node was started from and can
    /// hash or compare it.
    func genesisJSON() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        // The genesis was decoded from JSON and checked when the node started; encoding it
        // back cannot fail.
        guard let data = try? encoder.encode(node.genesis) else {
            preconditionFailure("the node's genesis did not encode as JSON")
        }
        return Array(data)
    }

    /// `GET /metrics`: Prometheus text exposition format 0.0.4, from the router's registry.
    func metricsText() async throws -> Response {
        let text = metrics.exposition(height: await node.height, pendingTransactions: await node.pendingCount)
        return APIEncoding.bytes(text, contentType: "text/plain; version=0.0.4; charset=utf-8")
    }
}
