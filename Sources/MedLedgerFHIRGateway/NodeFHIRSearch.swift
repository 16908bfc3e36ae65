import AsyncHTTPClient
import Crypto
import Foundation
import MedLedgerAPIModel
import MedLedgerCore
import NIOCore

/// The node's FHIR facade as the gateway's identity sees it: searches are passed through
/// with a bearer token the gateway gets from the node's token endpoint (a JWT client
/// assertion signed with its own key, SMART Backend Services shape; see docs/fhir.md), and the
/// answer's links are rewritten to the gateway's base so an EHR pages through the gateway.
actor NodeFHIRSearch {
    /// An answer of the node's facade: its status and resource (a Bundle or OperationOutcome).
    struct Answer: Error {
        let status: Int
        let body: FHIRValue
    }

    let nodeFHIR: String
    let identity: ClientIdentity
    private var token: (value: String, expiresAtSeconds: UInt64)?

    init(node: URL, identity: ClientIdentity) {
        let base = node.absoluteString.hasSuffix("/") ? String(node.absoluteString.dropLast()) : node.absoluteString
        nodeFHIR = base + "/fhir"
        self.identity = identity
    }

    /// `GET {node}/fhir/{type}?{query}`; links in the answer point at `gatewayFHIR` instead.
    func search(type: String, query: [(String, String)], gatewayFHIR: String) async throws -> Answer {
        let items = query.map { "\(FHIRGatewayService.escape($0.0))=\(FHIRGatewayService.escape($0.1))" }
        let url = "\(nodeFHIR)/\(type)" + (items.isEmpty ? "" : "?" + items.joined(separator: "&"))
        var answer = try await get(url, token: try await bearer())
        if answer.status == 401 {
            token = nil
            answer = try await get(url, token: try await bearer())
        }
        let nodeBase = nodeFHIR
        let rewritten = answer.body.mapStrings {
            $0.hasPrefix(nodeBase) ? gatewayFHIR + $0.dropFirst(nodeBase.count) : $0
        }
        return Answer(status: answer.status, body: rewritten)
    }

    private func get(_ url: String, token: String) async throws -> Answer {
        var request = HTTPClientRequest(url: url)
        request.headers.add(name: "Authorization", value: "Bearer \(token)")
        request.headers.add(name: "Accept", value: "application/fhir+json")
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
        let bytes = try await response.body.collect(upTo: Limits.httpClientAnswerMaxBytes)
        return Answer(status: Int(response.status.code), body: try FHIRValue.parse(bytes.readableBytesView))
    }

    /// A live token, fetched again 30 s before it expires.
    private func bearer() async throws -> String {
        let now = SystemClock.now().milliseconds / 1_000
        if let token, token.expiresAtSeconds > now + 30 { return token.value }
        let tokenURL = nodeFHIR + "/auth/token"
        let header = Self.base64URL(Data(#"{"alg":"EdDSA","typ":"JWT"}"#.utf8))
        let claims: FHIRValue = .object([
            "iss": .string(identity.id.hex), "sub": .string(identity.id.hex), "aud": .string(tokenURL),
            "exp": .integer(Int64(now + 240)), "jti": .string(UUID().uuidString),
        ])
        let input = header + "." + Self.base64URL(Data(claims.encoded()))
        let signature = try identity.keys.signing.signature(for: Data(input.utf8))
        let assertion = input + "." + Self.base64URL(signature)
        let form = [
            "grant_type=client_credentials",
            "client_assertion_type=urn%3Aietf%3Aparams%3Aoauth%3Aclient-assertion-type%3Ajwt-bearer",
            "client_assertion=\(assertion)",
        ].joined(separator: "&")
        var request = HTTPClientRequest(url: tokenURL)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: form))
        let response = try await HTTPClient.shared.execute(request, timeout: .seconds(30))
        let bytes = try await response.body.collect(upTo: 64 * 1024)
        let answer = try? FHIRValue.parse(bytes.readableBytesView)
        guard response.status.code == 200, let value = answer?["access_token"]?.string else {
            throw FHIRProblem(
                502, .exception,
                "the node's token endpoint refused the gateway (HTTP \(response.status.code)): \(String(buffer: bytes))"
            )
        }
        var lifetime: UInt64 = 300
        if case .integer(let seconds)? = answer?["expires_in"], seconds > 0 { lifetime = UInt64(seconds) }
        token = (value, now + lifetime)
        return value
    }

    static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
