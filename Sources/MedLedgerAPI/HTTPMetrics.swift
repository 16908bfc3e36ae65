import Hummingbird
import MedLedgerAPIModel

/// Counts HTTP responses by status code for `/metrics`.
actor HTTPMetrics {
    private var responsesByStatus: [Int: UInt64] = [:]

    func record(status: Int) { responsesByStatus[status, default: 0] += 1 }

    /// Counts sorted by status code.
    func snapshot() -> [(status: Int, count: UInt64)] {
        responsesByStatus.sorted { $0.key < $1.key }.map { (status: $0.key, count: $0.value) }
    }
}

/// Records each response's status in `HTTPMetrics`. Added first, so it sees the final
/// status after errors became problem documents.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: HTTPMetrics

    func handle(_ request: Request, context: Context,
                next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            let response = try await next(request, context)
            await metrics.record(status: response.status.code)
            return response
        } catch {
            await metrics.record(status: APIProblem.from(error).status)
            throw error
        }
    }
}
