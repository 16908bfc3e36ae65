import Hummingbird
import MedLedgerHTTPInterface
import OpenAPIHummingbird
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
///   - eventStreams: the bounds of `GET /v1/events`.
///   - blockWaitLimit: how many `GET /v1/blocks/{height}?wait=` requests may wait at once.
///   - scheme: `http` or `https`, how clients reach this router: the FHIR facade's absolute
///     links and its token URL (a client assertion's `aud`) use it, as HTTP/1 requests do
///     not say whether they came over TLS.
///   - portal: the static files served at `/` and `/portal/` (the bundled portal by default).
public func buildRouter(
    node: LedgerNode, metrics: PrometheusCollectorRegistry = PrometheusCollectorRegistry(),
    clock: @escaping @Sendable () -> WallClockTime = SystemClock.now,
    portal: PortalFiles = .bundled,
    eventStreams: EventStreamSettings = EventStreamSettings(), scheme: String = "http",
    blockWaitLimit: Int = Limits.httpBlockWaitsMax
) -> Router<APIRequestContext> {
    let apiMetrics = APIMetrics(registry: metrics)
    let router = Router(context: APIRequestContext.self)
    router.add(middleware: MetricsMiddleware(metrics: apiMetrics))
    router.add(middleware: CORSMiddleware())
    router.add(middleware: NextNonceMiddleware(node: node))
    router.add(middleware: ProblemMiddleware())
    MetaRoutes(node: node, metrics: apiMetrics).register(on: router)
    FHIRRoutes(node: node, clock: clock, scheme: scheme).register(on: router)
    PortalRoutes(portal: portal).register(on: router)
    // The JSON API's routes come from the generated server (openapi.json); the middleware
    // in front of them reads the body within its limit and keeps what a signature covers.
    let api = router.group().add(middleware: SignedRequestMiddleware(node: node, clock: clock))
    do {
        try LedgerAPI(node: node, clock: clock, blockWaits: BlockWaits(limit: blockWaitLimit)).registerHandlers(on: api)
    } catch {
        // Registration only fails on a malformed server URL; the document's is "/".
        preconditionFailure("the generated API routes did not register: \(error)")
    }
    EventStreamRoutes(
        node: node, clock: clock, settings: eventStreams, slots: EventStreamSlots(settings: eventStreams)
    ).register(on: api)
    return router
}
