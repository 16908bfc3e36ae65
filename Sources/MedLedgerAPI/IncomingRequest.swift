import Hummingbird
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerNode

/// What a request signature covers and the generated handlers do not see: the method, the
/// path with its query, the exact body bytes and the three `X-MedLedger-*` headers.
/// `SignedRequestMiddleware` captures it for each API request; `LedgerAPI` checks the
/// signature from it when a route needs the caller.
struct IncomingRequest: Sendable {
    let method: String
    let pathAndQuery: String
    var body: [UInt8]
    /// The `X-MedLedger-Identity`, `-Timestamp` and `-Signature` values as sent; parsed only
    /// by routes that look at the caller, so a public route ignores them.
    let identityHeader: String?
    let timestampHeader: String?
    let signatureHeader: String?

    /// The request's credentials; nil when it is not signed, a 401 when they are malformed.
    func credentials() throws -> RequestAuthentication.Credentials? {
        try RequestAuthentication.credentials(
            identity: identityHeader, timestamp: timestampHeader, signature: signatureHeader)
    }

    /// The request being handled on this task.
    @TaskLocal static var current: IncomingRequest?
}

/// Reads each API request's body once, within the route's limit, and makes it and the
/// request's credentials available to the handler (`IncomingRequest.current`).
///
/// The upload route checks who and when before the body: up to 32 MiB is read only for an
/// active identity. Every other route reads at most `Limits.httpBodyMaxBytes` (the batch
/// route `Limits.httpBatchBodyMaxBytes`), so the generated decoders never see more.
struct SignedRequestMiddleware<Context: RequestContext>: RouterMiddleware {
    let node: LedgerNode
    let clock: @Sendable () -> WallClockTime

    func handle(
        _ request: Request, context: Context,
        next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        var incoming = IncomingRequest(
            method: request.method.rawValue, pathAndQuery: request.uri.string, body: [],
            identityHeader: header(request, RequestAuthentication.identityHeader),
            timestampHeader: header(request, RequestAuthentication.timestampHeader),
            signatureHeader: header(request, RequestAuthentication.signatureHeader))
        let isUpload = request.method == .put && request.uri.path == "/v1/blobs"
        if isUpload {
            guard let credentials = try incoming.credentials() else {
                throw APIProblem(
                    status: .unauthorized, detail: "this route needs a signed request",
                    field: RequestAuthentication.signatureHeader)
            }
            _ = try await RequestAuthentication.precheck(credentials, node: node, now: clock())
        }
        incoming.body = try await APIEncoding.readBody(request, limit: Self.bodyLimit(request, isUpload: isUpload))
        var head = request.head
        // Every route has one representation, and the generated server checks `Accept` only
        // when it writes the answer, after the handler ran: `Accept: text/html` on a
        // submission would admit the transaction and then answer 406. The header is ignored
        // instead (RFC 9110 lets a server send its one representation).
        head.headerFields[.accept] = nil
        let buffered = Request(head: head, body: RequestBody(buffer: ByteBuffer(bytes: incoming.body)))
        return try await IncomingRequest.$current.withValue(incoming) { try await next(buffered, context) }
    }

    static func bodyLimit(_ request: Request, isUpload: Bool) -> Int {
        if isUpload { return Limits.blobMaxBytes }
        if request.method == .post && request.uri.path == "/v1/transaction-batches" {
            return Limits.httpBatchBodyMaxBytes
        }
        return Limits.httpBodyMaxBytes
    }

    private func header(_ request: Request, _ name: String) -> String? {
        let lowered = name.lowercased()
        return request.headers.first { $0.name.canonicalName == lowered }?.value
    }
}
