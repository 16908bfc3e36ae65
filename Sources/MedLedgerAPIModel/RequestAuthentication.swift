import Foundation
import MedLedgerCore
import MedLedgerContracts

/// Signed HTTP requests: how a client proves who it is when it reads protected data, and
/// how the API checks that proof. Shared by the server (`verify`) and `HTTPGateway` (`headers`).
///
/// A signed request carries three headers:
///
///     X-MedLedger-Identity    the caller's identity id (64 hex)
///     X-MedLedger-Timestamp   milliseconds since 1970-01-01T00:00:00Z, decimal
///     X-MedLedger-Signature   base64 Ed25519 signature by the caller's current signing key
///
/// The signature covers the canonical encoding of "medledger/http/v1", the chain id, the
/// method, the path with its query, the timestamp and the SHA-256 of the body, so a signed
/// request cannot be moved to another chain, route or body, and goes stale after
/// `maximumSkewMilliseconds`. Requests are not single-use within that window: they only read,
/// or upload content-addressed blobs, or fetch a key released to the caller's own key.
public enum RequestAuthentication {
    /// The first field of the signed bytes, so a request signature is never valid as anything else.
    public static let domainTag = "medledger/http/v1"
    /// The caller's identity id (64 hex).
    public static let identityHeader = "X-MedLedger-Identity"
    /// Milliseconds since the epoch, decimal.
    public static let timestampHeader = "X-MedLedger-Timestamp"
    /// Base64 Ed25519 signature over `signingBytes`.
    public static let signatureHeader = "X-MedLedger-Signature"
    /// In answers to requests that name an identity: the nonce that identity's next
    /// transaction must carry (decimal).
    public static let nextNonceHeader = "X-MedLedger-Next-Nonce"
    /// How far a request's timestamp may be from the server's clock (either way).
    public static let maximumSkewMilliseconds = Limits.httpRequestSkewMaxMilliseconds

    /// The bytes a caller signs.
    public static func signingBytes(
        method: String, pathAndQuery: String, body: [UInt8], chainID: String,
        timestamp: UInt64
    ) -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(domainTag)
        encoder.write(chainID)
        encoder.write(method.uppercased())
        encoder.write(pathAndQuery)
        encoder.write(timestamp)
        encoder.write(Hash256.of(body))
        return encoder.bytes
    }

    /// The three headers that sign a request as `identity`.
    public static func headers(
        for method: String, pathAndQuery: String, body: [UInt8], chainID: String,
        identity: ClientIdentity, now: WallClockTime
    ) -> [(String, String)] {
        let bytes = signingBytes(
            method: method, pathAndQuery: pathAndQuery, body: body, chainID: chainID,
            timestamp: now.milliseconds)
        let signature = identity.keys.sign(bytes)
        return [
            (identityHeader, identity.id.hex),
            (timestampHeader, String(now.milliseconds)),
            (signatureHeader, Data(signature.rawBytes).base64EncodedString()),
        ]
    }

    /// The parsed authentication headers of a request, before any check against the ledger.
    public struct Credentials: Sendable {
        /// Who the request claims to come from.
        public let identity: IdentityID
        /// When the caller signed, in milliseconds since the epoch.
        public let timestamp: UInt64
        /// The claimed signature over `signingBytes`.
        public let signature: Signature
    }

    /// Parses the headers; nil when none of them is present (an anonymous request).
    /// - Throws: `NodeError.unauthenticated` naming the header when some are present but
    ///   missing or malformed.
    public static func credentials(
        identity: String?, timestamp: String?,
        signature: String?
    ) throws(NodeError) -> Credentials? {
        if identity == nil && timestamp == nil && signature == nil { return nil }
        guard let identityText = identity, let id = IdentityID(hex: identityText) else {
            throw NodeError(.unauthenticated, field: identityHeader, "expected the caller's 64-hex identity id")
        }
        guard let timestampText = timestamp, let millis = UInt64(timestampText) else {
            throw NodeError(.unauthenticated, field: timestampHeader, "expected milliseconds since the epoch")
        }
        guard let signatureText = signature, let raw = Data(base64Encoded: signatureText),
            let parsed = Signature(rawBytes: Array(raw))
        else {
            throw NodeError(.unauthenticated, field: signatureHeader, "expected a base64 Ed25519 signature (64 bytes)")
        }
        return Credentials(identity: id, timestamp: millis, signature: parsed)
    }

    /// `verify` without the ledger: `record` is what the ledger holds for the claimed
    /// identity (nil when unknown). Pure, so the checks can be tested and fuzzed alone.
    /// - Throws: `NodeError.unauthenticated` naming the header at fault.
    public static func check(
        _ credentials: Credentials, record: IdentityRecord?, method: String,
        pathAndQuery: String, body: [UInt8], chainID: String,
        now: WallClockTime
    ) throws(NodeError) -> IdentityRecord {
        let record = try checkWithoutBody(credentials, record: record, now: now)
        let bytes = signingBytes(
            method: method, pathAndQuery: pathAndQuery, body: body, chainID: chainID,
            timestamp: credentials.timestamp)
        guard record.signingKey.isValidSignature(credentials.signature, for: bytes) else {
            throw NodeError(
                .unauthenticated, field: signatureHeader,
                "signature does not verify with the caller's current signing key")
        }
        return record
    }

    /// The timestamp is within the skew and `record` is the claimed identity, active.
    public static func checkWithoutBody(
        _ credentials: Credentials, record: IdentityRecord?,
        now: WallClockTime
    ) throws(NodeError) -> IdentityRecord {
        let skew = max(credentials.timestamp, now.milliseconds) - min(credentials.timestamp, now.milliseconds)
        guard skew <= maximumSkewMilliseconds else {
            throw NodeError(
                .unauthenticated, field: timestampHeader,
                "timestamp is \(skew / 1000) s away from the node's clock (limit \(maximumSkewMilliseconds / 1000) s)")
        }
        guard let record, record.id == credentials.identity, record.isActive else {
            throw NodeError(.unauthenticated, field: identityHeader, "caller is not an active registered identity")
        }
        return record
    }
}
