import Crypto
import Foundation
import HTTPTypes
import Hummingbird

/// The gateway's own door: it decrypts reports with the organization's key for whoever
/// calls it, so every request but `GET /fhir/metadata` (which FHIR clients read first, and
/// which says nothing about patients) must carry `Authorization: Bearer <client token>`.
/// Digests are compared, in constant time, so the token's length and prefix do not leak.
struct ClientTokenMiddleware<Context: RequestContext>: RouterMiddleware {
    /// The shortest client token the gateway accepts (e.g. `openssl rand -hex 32` is 64).
    static var minimumLength: Int { 32 }

    let digest: SHA256Digest

    init(token: String) { digest = SHA256.hash(data: Data(token.utf8)) }

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        if request.method == .get, request.uri.path == "/fhir/metadata" { return try await next(request, context) }
        let header = request.headers[.authorization] ?? ""
        let presented = header.lowercased().hasPrefix("bearer ") ? String(header.dropFirst("bearer ".count)) : ""
        guard SHA256.hash(data: Data(presented.utf8)) == digest else {
            let problem = FHIRProblem(
                401, .login,
                header.isEmpty
                    ? "the gateway needs Authorization: Bearer <its client token>"
                    : "the bearer token is not the gateway's client token")
            var response = GatewayServer.respond(problem.status, problem.outcome)
            response.headers[.wwwAuthenticate] = "Bearer realm=\"medledger-fhir-gateway\""
            return response
        }
        return try await next(request, context)
    }
}

/// The gateway's client token, read from a file (so it is not in the process list or the
/// shell history): one line of at least 32 characters, no spaces.
public enum GatewayClientToken {
    public static func read(path: String) throws -> String {
        let data: Data
        do { data = try Data(contentsOf: URL(fileURLWithPath: path)) } catch {
            throw FHIRProblem(400, .invalid, "cannot read the client token file \(path): \(error.localizedDescription)")
        }
        guard data.count <= 4_096 else {
            throw FHIRProblem(400, .invalid, "the client token file \(path) is over 4 KiB")
        }
        let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        let minimum = ClientTokenMiddleware<BasicRequestContext>.minimumLength
        guard token.count >= minimum, !token.contains(where: { $0.isWhitespace || !$0.isASCII }) else {
            throw FHIRProblem(
                400, .invalid,
                "the client token in \(path) must be one line of at least \(minimum) ASCII characters without spaces (e.g. openssl rand -hex 32)"
            )
        }
        return token
    }

    /// Whether `host` is reachable from this machine only.
    public static func isLoopback(_ host: String) -> Bool {
        host == "localhost" || host == "::1" || host == "[::1]" || host.hasPrefix("127.")
    }
}
