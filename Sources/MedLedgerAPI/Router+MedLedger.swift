import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode
import Prometheus

/// The request context the API's router uses.
public typealias APIRequestContext = BasicRequestContext

/// Builds the MedLedger HTTP API's router over a node. Every response, including errors and
/// unknown routes, passes the metrics and problem middlewares.
/// - Parameters:
///   - metrics: the registry the router records into and `GET /metrics` renders; give the
///     node's (`NodeMetrics`) factory the same registry to serve both. A fresh one by default,
///     so routers built side by side (tests) count apart.
///   - clock: the wall clock signed requests' timestamps are checked against.
public func buildRouter(
    node: LedgerNode, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    clock: @escaping @Sendable () -> WallClockTime = SystemClock.now
) -> Router<APIRequestContext> {
    let handlers = APIHandlers(node: node, metrics: APIMetrics(registry: metrics), clock: clock)
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: handlers.metrics))
    router.add(middleware: NextNonceMiddleware(node: node))
    router.add(middleware: ProblemMiddleware())
    registerRoutes(router, handlers)
    return router
}

private func registerRoutes(_ router: Router<APIRequestContext>, _ h: APIHandlers) {
    router.get("/v1/status") { try await h.status($0, $1) }
    router.get("/v1/blocks/{height}") { try await h.block($0, $1) }
    router.post("/v1/transactions") { try await h.submit($0, $1) }
    router.post("/v1/transaction-batches") { try await h.submitBatch($0, $1) }
    router.get("/v1/transactions/{hash}") { try await h.transaction($0, $1) }
    router.get("/v1/identities/{id}") { try await h.identity($0, $1) }
    router.get("/v1/identities/{id}/nonce") { try await h.nonce($0, $1) }
    router.get("/v1/identities/{id}/proof") { try await h.identityProof($0, $1) }
    router.put("/v1/blobs") { try await h.putBlob($0, $1) }
    router.get("/v1/reports/{id}") { try await h.report($0, $1) }
    router.get("/v1/reports/{id}/blobs/{address}") { try await h.reportBlob($0, $1) }
    router.get("/v1/reports/{id}/history") { try await h.reportHistory($0, $1) }
    router.get("/v1/reports/{id}/proof") { try await h.reportProof($0, $1) }
    router.post("/v1/reports/{id}/versions/{version}/key") { try await h.releaseKey($0, $1) }
    router.get("/v1/reports/{id}/versions/{version}/content") { try await h.versionContent($0, $1) }
    router.get("/v1/patients/{id}/reports") { try await h.patientReports($0, $1) }
    router.get("/v1/patients/{id}/grants") { try await h.patientGrants($0, $1) }
    router.get("/v1/patients/{id}/audit") { try await h.patientAudit($0, $1) }
    router.get("/openapi.json") { try await h.openAPI($0, $1) }
    router.get("/metrics") { try await h.metricsText($0, $1) }
    router.get("/fhir/metadata") { try await h.fhirMetadata($0, $1) }
}
