import Hummingbird
import MedLedgerAPIModel

/// Cross-origin access to `/v1/*`: any origin may call the API, because a signed request
/// carries no cookie or ambient credential (its signature is made in the caller's browser),
/// and a portal asks other custodians' nodes for key shares across origins. A preflight
/// (`OPTIONS /v1/...`) is answered here with 204; every other `/v1/` answer, problems
/// included, gets the allow-origin and expose headers.
struct CORSMiddleware<Context: RequestContext>: RouterMiddleware {
    static var allowedMethods: String { "GET, POST, PUT" }
    static var allowedHeaders: String {
        [
            RequestAuthentication.identityHeader, RequestAuthentication.timestampHeader,
            RequestAuthentication.signatureHeader, "Content-Type", "Last-Event-ID",
        ].joined(separator: ", ")
    }
    static var exposedHeaders: String { RequestAuthentication.nextNonceHeader }
    /// How long a browser may cache a preflight answer (seconds).
    static var preflightMaxAge: String { "600" }

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        guard request.uri.path.hasPrefix("/v1/") else { return try await next(request, context) }
        if request.method == .options {
            var headers = HTTPFields()
            headers[.accessControlAllowOrigin] = "*"
            headers[.accessControlAllowMethods] = Self.allowedMethods
            headers[.accessControlAllowHeaders] = Self.allowedHeaders
            headers[.accessControlMaxAge] = Self.preflightMaxAge
            return Response(status: .noContent, headers: headers)
        }
        var response = try await next(request, context)
        response.headers[.accessControlAllowOrigin] = "*"
        response.headers[.accessControlExposeHeaders] = Self.exposedHeaders
        return response
    }
}
