import AsyncHTTPClient
import Foundation
import HTTPTypes
import MedLedgerAPIModel
import MedLedgerCore
import MedLedgerHTTPInterface
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime

/// The generated client (from `openapi.json`) over async-http-client, as one caller.
extension HTTPGateway {
    /// The generated client; its requests are signed as `caller` when one is given.
    func api(as caller: ClientIdentity? = nil) -> Client {
        Client(
            serverURL: baseURL,
            transport: AsyncHTTPClientTransport(
                configuration: .init(client: httpClient, timeout: .seconds(Limits.httpClientRequestTimeoutSeconds))),
            middlewares: [
                GatewayMiddleware(
                    caller: caller, chainID: { try await chainID() }, nonceHints: nonceHints,
                    nodeDescription: baseURL.absoluteString)
            ])
    }

    /// Runs one call of the generated client. Its errors come out as what the rest of the
    /// client knows: the node's problem documents and integrity failures unchanged,
    /// `NodeError.unavailable` when the node cannot be reached, and `.internalFailure` for an
    /// answer that does not match the document.
    func call<T>(_ work: () async throws -> T) async throws -> T {
        do {
            return try await work()
        } catch let error as OpenAPIRuntime.ClientError {
            switch error.underlyingError {
            case let nodeError as NodeError: throw nodeError
            case let clientError as MedLedgerClient.ClientError: throw clientError
            case is DecodingError:
                throw NodeError(.internalFailure, field: "body", "unexpected answer from the node: \(error)")
            default:
                guard error.response == nil else {
                    throw NodeError(.internalFailure, field: "body", "unexpected answer from the node: \(error)")
                }
                throw NodeError(.unavailable, field: "url", "cannot reach the node at \(baseURL): \(error)")
            }
        }
    }
}

/// Signs requests as the caller, keeps the next-nonce hint, bounds what an answer may hold,
/// and turns any answer other than 2xx into the `NodeError` its problem document describes.
struct GatewayMiddleware: ClientMiddleware {
    let caller: ClientIdentity?
    let chainID: @Sendable () async throws -> String
    let nonceHints: NonceHints
    let nodeDescription: String

    func intercept(
        _ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
        next: (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)
    ) async throws -> (HTTPResponse, HTTPBody?) {
        var request = request
        var body = body
        if let caller {
            // The signature covers the exact body bytes, so the body is read once here.
            var bytes = [UInt8]()
            if let body { bytes = try await [UInt8](collecting: body, upTo: Limits.blobMaxBytes) }
            let headers = RequestAuthentication.headers(
                for: request.method.rawValue, pathAndQuery: request.path ?? "/", body: bytes,
                chainID: try await chainID(), identity: caller, now: SystemClock.now())
            for (name, value) in headers {
                guard let field = HTTPField.Name(name) else { continue }
                request.headerFields[field] = value
            }
            body = body == nil ? nil : HTTPBody(bytes)
        }
        let (response, answer) = try await next(request, body, baseURL)
        let bytes = try await collect(answer)
        if let caller, let field = HTTPField.Name(RequestAuthentication.nextNonceHeader),
            let nonce = response.headerFields[field].flatMap(UInt64.init).map(Nonce.init(rawValue:))
        {
            await nonceHints.set(caller.id, nonce)
        }
        guard (200..<300).contains(response.status.code) else {
            throw HTTPGateway.problem(status: response.status.code, body: Data(bytes))
        }
        return (response, HTTPBody(bytes))
    }

    /// The answer's bytes, refusing one over `Limits.httpClientAnswerMaxBytes`: a node
    /// that streams without end cannot fill the client's memory.
    private func collect(_ answer: HTTPBody?) async throws -> [UInt8] {
        guard let answer else { return [] }
        do {
            return try await [UInt8](collecting: answer, upTo: Limits.httpClientAnswerMaxBytes)
        } catch {
            throw NodeError(
                .internalFailure, field: "body",
                "the node at \(nodeDescription) sent an answer over \(Limits.httpClientAnswerMaxBytes) bytes: \(error)")
        }
    }
}
