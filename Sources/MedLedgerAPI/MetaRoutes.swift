import Foundation
import Hummingbird
import MedLedgerAPIModel
import MedLedgerHTTPInterface
import MedLedgerNode

/// The routes that are not JSON API calls, routed by hand: the OpenAPI document itself,
/// Prometheus metrics (text exposition), the FHIR capability statement and the genesis the
/// node runs.
struct MetaRoutes: Sendable {
    let node: LedgerNode
    let metrics: APIMetrics

    func register(on router: Router<APIRequestContext>) {
        router.get("/openapi.json") { _, _ in
            APIEncoding.bytes(Array(OpenAPIDocumentText.json.utf8), contentType: APIEncoding.jsonContentType)
        }
        router.get("/metrics") { _, _ in try await metricsText() }
        router.get("/fhir/metadata") { _, _ in try await fhirMetadata() }
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

    /// `GET /fhir/metadata`: a FHIR R4 CapabilityStatement. No FHIR resources are served yet,
    /// and the statement says so.
    func fhirMetadata() async throws -> Response {
        let date = String(await node.consensusTime.description.prefix(10))
        return try APIEncoding.json(FHIRCapabilityStatement(date: date), contentType: "application/fhir+json")
    }
}

/// A minimal, honest FHIR R4 CapabilityStatement: a server with no resources yet.
struct FHIRCapabilityStatement: Encodable {
    struct Software: Encodable { let name: String }
    struct Implementation: Encodable { let description: String }
    struct Rest: Encodable {
        let mode: String
        let documentation: String
        let resource: [String]
    }

    let resourceType = "CapabilityStatement"
    let status = "active"
    let date: String
    let publisher = "MedLedger"
    let kind = "instance"
    let software = Software(name: "MedLedger")
    let implementation = Implementation(description: "MedLedger node: permissioned ledger of encrypted medical reports")
    let fhirVersion = "4.0.1"
    let format = ["json"]
    let rest = [
        Rest(
            mode: "server",
            documentation: "No FHIR resources are exposed yet; use the MedLedger API under /v1 (see /openapi.json).",
            resource: [])
    ]
}
