import Hummingbird
import MedLedgerAPIModel
import Logging

/// Turns every error thrown below it (handlers, unknown routes, wrong methods) into an
/// RFC 9457 problem response, so no error reaches the client in another shape.
struct ProblemMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch {
            let problem = APIProblem.from(error)
            if problem.status >= 500 {
                context.logger.error("\(request.method) \(request.uri.path) failed: \(error)")
            }
            return problem.response()
        }
    }
}
