import HTTPTypes
import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

/// Adds `X-MedLedger-Next-Nonce` to the answer of every request that names an identity in
/// `X-MedLedger-Identity`, so a client learns the nonce its next transaction needs from the
/// request it made anyway, instead of asking in a round trip of its own. The nonce is public
/// (`GET /v1/identities/{id}/nonce`), so the header is added before, and whatever the outcome
/// of, authentication. Sits outside `ProblemMiddleware`, so refusals carry it too.
struct NextNonceMiddleware<Context: RequestContext>: RouterMiddleware {
    let node: LedgerNode

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var response = try await next(request, context)
        guard let field = HTTPField.Name(RequestAuthentication.identityHeader),
            let claimed = request.headers[field], let identity = IdentityID(hex: claimed),
            let nonceField = HTTPField.Name(RequestAuthentication.nextNonceHeader)
        else { return response }
        // After the handler: a transaction the request just committed counts.
        response.headers[nonceField] = String(await node.nextNonce(for: identity).rawValue)
        return response
    }
}
