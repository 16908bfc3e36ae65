import Foundation
import MedLedgerCore

/// Bearer tokens for the FHIR facade, issued against a SMART Backend Services client
/// assertion: a bounded in-memory table of random tokens (lost on restart, which only means
/// clients fetch a new one), and a bounded replay cache of assertion ids (`jti`).
actor FHIRTokens {
    /// How long a token lives.
    static let tokenLifetimeMilliseconds: UInt64 = 5 * 60 * 1000
    /// The longest an assertion may be valid for (`exp` at most this far ahead).
    static let assertionMaxLifetimeMilliseconds: UInt64 = 5 * 60 * 1000
    /// Live tokens at most; beyond, issuing answers 503 until some expire.
    static let maxTokens = 10_000
    /// Remembered assertion ids at most (each until its assertion's `exp`).
    static let maxAssertionIDs = 10_000

    private var tokens: [String: (identity: IdentityID, expires: UInt64)] = [:]
    private var usedAssertionIDs: [String: UInt64] = [:]

    enum Refusal: Error { case replayed, full }

    /// Records `jti` as used until `expires`; refuses one seen before, or a full cache.
    func consumeAssertionID(_ jti: String, expires: UInt64, now: UInt64) throws(Refusal) {
        if let until = usedAssertionIDs[jti], until > now { throw .replayed }
        if usedAssertionIDs.count >= Self.maxAssertionIDs {
            usedAssertionIDs = usedAssertionIDs.filter { $0.value > now }
            guard usedAssertionIDs.count < Self.maxAssertionIDs else { throw .full }
        }
        usedAssertionIDs[jti] = expires
    }

    /// A fresh token for `identity`, valid for `tokenLifetimeMilliseconds`.
    func issue(for identity: IdentityID, now: UInt64) throws(Refusal) -> String {
        if tokens.count >= Self.maxTokens {
            tokens = tokens.filter { $0.value.expires > now }
            guard tokens.count < Self.maxTokens else { throw .full }
        }
        var generator = SystemRandomNumberGenerator()
        let token = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        tokens[token] = (identity, now + Self.tokenLifetimeMilliseconds)
        return token
    }

    /// The identity a live token was issued to.
    func identity(for token: String, now: UInt64) -> IdentityID? {
        guard let entry = tokens[token] else { return nil }
        guard entry.expires > now else {
            tokens[token] = nil
            return nil
        }
        return entry.identity
    }
}
