import Foundation
import MedLedgerCore

/// Bearer tokens for the FHIR facade, issued against a SMART Backend Services client
/// assertion: a bounded in-memory table of random tokens (lost on restart, which only means
/// clients fetch a new one), and a bounded replay cache of assertion ids (`jti`).
///
/// Both tables are also bounded per identity, so one identity (a self-registered patient
/// costs nothing) cannot fill them and lock every other client out: its extra tokens push
/// out its own oldest, and its extra assertions are refused.
actor FHIRTokens {
    /// How long a token lives.
    static let tokenLifetimeMilliseconds: UInt64 = 5 * 60 * 1000
    /// The longest an assertion may be valid for (`exp` at most this far ahead).
    static let assertionMaxLifetimeMilliseconds: UInt64 = 5 * 60 * 1000
    /// Live tokens at most; beyond, issuing answers 503 until some expire.
    static let maxTokens = 10_000
    /// Live tokens one identity holds at most; a new one replaces its oldest.
    static let maxTokensPerIdentity = 4
    /// Remembered assertion ids at most (each until its assertion's `exp`).
    static let maxAssertionIDs = 10_000
    /// Live assertion ids one identity may have at most (one token every 20 s, sustained).
    static let maxAssertionIDsPerIdentity = 16

    private var tokens: [String: (identity: IdentityID, expires: UInt64)] = [:]
    /// Each identity's live tokens, oldest first.
    private var tokensOf: [IdentityID: [String]] = [:]
    /// Each identity's used assertion ids, until their `exp`.
    private var assertionIDsOf: [IdentityID: [String: UInt64]] = [:]
    private var assertionIDCount = 0

    enum Refusal: Error { case replayed, tooMany, full }

    /// Records `jti` as used by `identity` until `expires`; refuses one seen before, one
    /// identity's `maxAssertionIDsPerIdentity`-th live one, or a full cache.
    func consumeAssertionID(_ jti: String, of identity: IdentityID, expires: UInt64, now: UInt64) throws(Refusal) {
        var used = assertionIDsOf[identity] ?? [:]
        if let until = used[jti], until > now { throw .replayed }
        let live = used.filter { $0.value > now }
        assertionIDCount -= used.count - live.count
        used = live
        guard used.count < Self.maxAssertionIDsPerIdentity else {
            assertionIDsOf[identity] = used
            throw .tooMany
        }
        if assertionIDCount >= Self.maxAssertionIDs {
            pruneAssertionIDs(now: now)
            guard assertionIDCount < Self.maxAssertionIDs else { throw .full }
            used = assertionIDsOf[identity] ?? [:]
        }
        used[jti] = expires
        assertionIDCount += 1
        assertionIDsOf[identity] = used
    }

    private func pruneAssertionIDs(now: UInt64) {
        assertionIDsOf = assertionIDsOf.compactMapValues { used in
            let live = used.filter { $0.value > now }
            return live.isEmpty ? nil : live
        }
        assertionIDCount = assertionIDsOf.values.reduce(0) { $0 + $1.count }
    }

    /// A fresh token for `identity`, valid for `tokenLifetimeMilliseconds`.
    func issue(for identity: IdentityID, now: UInt64) throws(Refusal) -> String {
        var own = (tokensOf[identity] ?? []).filter { (tokens[$0]?.expires ?? 0) > now }
        while own.count >= Self.maxTokensPerIdentity {
            tokens[own.removeFirst()] = nil
        }
        if tokens.count >= Self.maxTokens {
            tokens = tokens.filter { $0.value.expires > now }
            tokensOf = tokensOf.compactMapValues { list in
                let live = list.filter { tokens[$0] != nil }
                return live.isEmpty ? nil : live
            }
            own = own.filter { tokens[$0] != nil }
            guard tokens.count < Self.maxTokens else { throw .full }
        }
        var generator = SystemRandomNumberGenerator()
        let token = Hex.encode((0..<32).map { _ in UInt8.random(in: 0...255, using: &generator) })
        tokens[token] = (identity, now + Self.tokenLifetimeMilliseconds)
        tokensOf[identity] = own + [token]
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
