import Hummingbird
import MedLedgerAPIModel

/// Records each response in `APIMetrics`. Added first, so it sees the final status after
/// errors became problem documents. Recorded before the response is written, so a client
/// that got an answer finds it counted by its next `/metrics`.
struct MetricsMiddleware<Context: RequestContext>: RouterMiddleware {
    let metrics: APIMetrics

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        let started = ContinuousClock.now
        do {
            let response = try await next(request, context)
            record(response.status.code, request, context, since: started)
            return response
        } catch {
            record(APIProblem.from(error).status, request, context, since: started)
            throw error
        }
    }

    private func record(_ status: Int, _ request: Request, _ context: Context, since started: ContinuousClock.Instant) {
        metrics.responseSent(
            status: status, method: request.method.rawValue, route: context.endpointPath ?? "NotFound",
            duration: ContinuousClock.now - started)
    }
}
