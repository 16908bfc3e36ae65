import Foundation
import HTTPTypes
import Hummingbird
import MedLedgerCore
import MedLedgerNode

/// `POST /fhir/auth/token`, in the shape of SMART Backend Services: the client proves it
/// holds an identity's Ed25519 key with a JWT (`alg` EdDSA, `iss` = `sub` = the identity id,
/// `aud` = this URL, `exp` at most 5 minutes ahead, `jti` used once) and gets a short-lived
/// bearer token for the facade's reads.
struct FHIRAuth: Sendable {
    static let grantType = "client_credentials"
    static let assertionType = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
    static let bodyMaxBytes = 8_192
    static let assertionMaxBytes = 4_096
    static let jtiMaxBytes = 256

    let node: LedgerNode
    let tokens: FHIRTokens
    let clock: @Sendable () -> WallClockTime

    /// An OAuth 2.0 error answer (RFC 6749 §5.2), JSON.
    struct OAuthError: Error {
        let status: HTTPResponse.Status
        let error: String
        let description: String
        init(_ error: String, _ description: String, status: HTTPResponse.Status = .badRequest) {
            self.status = status
            self.error = error
            self.description = description
        }
    }

    func token(_ request: Request, tokenURL: String) async -> Response {
        do {
            let form = try await Self.form(request)
            guard form["grant_type"] == Self.grantType else {
                throw OAuthError("unsupported_grant_type", "grant_type must be \(Self.grantType)")
            }
            guard form["client_assertion_type"] == Self.assertionType else {
                throw OAuthError("invalid_request", "client_assertion_type must be \(Self.assertionType)")
            }
            guard let assertion = form["client_assertion"], !assertion.isEmpty else {
                throw OAuthError("invalid_request", "client_assertion is missing")
            }
            let now = clock().milliseconds
            let identity = try await verify(assertion: assertion, audience: tokenURL, now: now)
            let token: String
            do { token = try await tokens.issue(for: identity, now: now) } catch {
                throw OAuthError("temporarily_unavailable", "too many live tokens", status: .serviceUnavailable)
            }
            let body: [String: Any] = [
                "access_token": token, "token_type": "bearer",
                "expires_in": Int(FHIRTokens.tokenLifetimeMilliseconds / 1000), "scope": "system/*.read",
            ]
            return Self.json(body, status: .ok)
        } catch let error as OAuthError {
            return Self.json(["error": error.error, "error_description": error.description], status: error.status)
        } catch {
            return Self.json(["error": "invalid_request", "error_description": "\(error)"], status: .badRequest)
        }
    }

    static func json(_ object: [String: Any], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data()
        var headers = HTTPFields()
        headers[.contentType] = "application/json"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(bytes: data)))
    }

    /// The `application/x-www-form-urlencoded` body as a dictionary (each name once).
    static func form(_ request: Request) async throws -> [String: String] {
        let type = request.headers[.contentType] ?? ""
        guard type.lowercased().hasPrefix("application/x-www-form-urlencoded") else {
            throw OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded")
        }
        let buffer = try await request.body.collect(upTo: bodyMaxBytes)
        let text = String(decoding: buffer.readableBytesView, as: UTF8.self)
        var result: [String: String] = [:]
        for pair in text.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = FHIRQuery.decode(parts[0]) else {
                throw OAuthError("invalid_request", "a form field is not valid percent-encoding")
            }
            guard result[name] == nil else { throw OAuthError("invalid_request", "\(name) is given twice") }
            result[name] = parts.count == 2 ? FHIRQuery.decode(parts[1]) : ""
        }
        return result
    }

    /// What a client assertion claims, read and checked for shape and time before anything
    /// is looked up: who (`iss` = `sub`), until when, its `jti`, and what its signature covers.
    struct Assertion {
        let identity: IdentityID
        let issuer: String
        let expires: UInt64
        let jti: String
        let signingInput: [UInt8]
        let signature: [UInt8]
    }

    /// Parses a compact JWS client assertion and checks its claims against `audience` and
    /// `now`; every refusal is an `OAuthError` naming the claim at fault.
    static func parse(assertion: String, audience: String, now: UInt64) throws(OAuthError) -> Assertion {
        guard assertion.utf8.count <= Self.assertionMaxBytes else {
            throw OAuthError("invalid_client", "client_assertion is longer than \(Self.assertionMaxBytes) bytes")
        }
        let parts = assertion.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3, let headerBytes = Self.base64URL(parts[0]), let payloadBytes = Self.base64URL(parts[1]),
            let signatureBytes = Self.base64URL(parts[2]),
            let header = try? JSONSerialization.jsonObject(with: Data(headerBytes)) as? [String: Any],
            let claims = try? JSONSerialization.jsonObject(with: Data(payloadBytes)) as? [String: Any]
        else { throw OAuthError("invalid_client", "client_assertion is not a compact JWS (header.payload.signature)") }
        guard header["alg"] as? String == "EdDSA" else {
            throw OAuthError("invalid_client", "the assertion's alg must be EdDSA (Ed25519)")
        }
        guard let issuer = claims["iss"] as? String, claims["sub"] as? String == issuer,
            let id = IdentityID(hex: issuer)
        else { throw OAuthError("invalid_client", "iss and sub must both be the identity id (64 hex digits)") }
        let audiences = (claims["aud"] as? String).map { [$0] } ?? (claims["aud"] as? [String] ?? [])
        guard audiences.contains(audience) else {
            throw OAuthError("invalid_client", "aud must be the token URL \(audience)")
        }
        guard let exp = (claims["exp"] as? NSNumber)?.doubleValue, exp.isFinite, exp > 0 else {
            throw OAuthError("invalid_client", "exp (seconds since 1970) is missing")
        }
        let expires = UInt64(min(exp, 1e15)) * 1000
        guard expires > now else { throw OAuthError("invalid_client", "the assertion has expired") }
        guard expires <= now + FHIRTokens.assertionMaxLifetimeMilliseconds + 1000 else {
            throw OAuthError("invalid_client", "exp must be at most 5 minutes ahead")
        }
        guard let jti = claims["jti"] as? String, !jti.isEmpty, jti.utf8.count <= Self.jtiMaxBytes else {
            throw OAuthError("invalid_client", "jti is missing or longer than \(Self.jtiMaxBytes) bytes")
        }
        return Assertion(
            identity: id, issuer: issuer, expires: expires, jti: jti,
            signingInput: Array("\(parts[0]).\(parts[1])".utf8),
            signature: signatureBytes)
    }

    /// Checks the client assertion and answers the identity it proves.
    func verify(assertion text: String, audience: String, now: UInt64) async throws -> IdentityID {
        let assertion = try Self.parse(assertion: text, audience: audience, now: now)
        let issuer = assertion.issuer
        guard let record = await node.identity(assertion.identity), record.isActive else {
            throw OAuthError("invalid_client", "\(issuer) is not an active identity")
        }
        guard let signature = Signature(rawBytes: assertion.signature),
            record.signingKey.isValidSignature(signature, for: assertion.signingInput)
        else { throw OAuthError("invalid_client", "the assertion's signature does not verify with \(issuer)'s key") }
        do {
            try await tokens.consumeAssertionID(
                assertion.jti, of: assertion.identity, expires: assertion.expires, now: now)
        } catch {
            switch error {
            case .replayed: throw OAuthError("invalid_client", "this assertion (jti) was already used")
            case .tooMany:
                throw OAuthError(
                    "invalid_client",
                    "\(issuer) used \(FHIRTokens.maxAssertionIDsPerIdentity) assertions within 5 minutes: reuse the token",
                    status: .tooManyRequests)
            case .full:
                throw OAuthError("temporarily_unavailable", "too many live assertions", status: .serviceUnavailable)
            }
        }
        return assertion.identity
    }

    static func base64URL(_ text: Substring) -> [UInt8]? {
        var base64 = text.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        guard !base64.contains("=") || text.hasSuffix("=") else { return nil }
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        return Data(base64Encoded: base64).map(Array.init)
    }

    /// The identity behind `Authorization: Bearer …`, or a 401.
    func caller(_ request: Request) async throws -> IdentityID {
        guard let header = request.headers[.authorization], header.lowercased().hasPrefix("bearer ") else {
            throw FHIRFailure(.unauthorized, "login", "a bearer token is required: POST /fhir/auth/token first")
        }
        let token = String(header.dropFirst("bearer ".count)).trimmingCharacters(in: .whitespaces)
        guard token.utf8.count <= 128, let id = await tokens.identity(for: token, now: clock().milliseconds) else {
            throw FHIRFailure(.unauthorized, "login", "the bearer token is unknown or expired")
        }
        guard let record = await node.identity(id), record.isActive else {
            throw FHIRFailure(.forbidden, "forbidden", "the token's identity is no longer active")
        }
        return id
    }
}
