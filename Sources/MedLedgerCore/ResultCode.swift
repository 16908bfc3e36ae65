/// The outcome of a transaction, stored in its receipt. Numbers are stable forever: clients,
/// audits and the results root depend on them. Add codes; never renumber or reuse one.
public struct ResultCode: RawRepresentable, Hashable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let rawValue: UInt16
    public init(rawValue: UInt16) { self.rawValue = rawValue }

    public static let ok = ResultCode(rawValue: 0)

    // 1xx: who signed (most are refused by the mempool before a block ever sees them)
    public static let badSignature = ResultCode(rawValue: 101)
    public static let wrongChain = ResultCode(rawValue: 102)
    public static let staleNonce = ResultCode(rawValue: 103)
    public static let unknownSigner = ResultCode(rawValue: 104)
    public static let signerKeyMismatch = ResultCode(rawValue: 105)
    public static let signerSuspended = ResultCode(rawValue: 106)
    /// The nonce is more than `Limits.nonceMaxJump` above the signer's last one.
    public static let nonceGap = ResultCode(rawValue: 107)

    // 2xx: permission
    public static let missingRole = ResultCode(rawValue: 201)
    public static let notPatientOrGuardian = ResultCode(rawValue: 202)
    public static let wrongOrganization = ResultCode(rawValue: 203)
    public static let noActiveGrant = ResultCode(rawValue: 204)
    public static let notAdmin = ResultCode(rawValue: 205)
    public static let wrongKind = ResultCode(rawValue: 206)

    // 3xx: state
    public static let identityExists = ResultCode(rawValue: 301)
    public static let unknownIdentity = ResultCode(rawValue: 302)
    public static let reportExists = ResultCode(rawValue: 303)
    public static let unknownReport = ResultCode(rawValue: 304)
    public static let unknownVersion = ResultCode(rawValue: 305)
    public static let invalidStatusTransition = ResultCode(rawValue: 306)
    public static let grantExists = ResultCode(rawValue: 307)
    public static let unknownGrant = ResultCode(rawValue: 308)
    public static let grantNotActive = ResultCode(rawValue: 309)
    public static let staleVersion = ResultCode(rawValue: 310)
    public static let limitReached = ResultCode(rawValue: 311)
    public static let caseExists = ResultCode(rawValue: 312)
    public static let unknownCase = ResultCode(rawValue: 313)
    public static let caseClosed = ResultCode(rawValue: 314)

    // 4xx: malformed content
    public static let invalidField = ResultCode(rawValue: 401)

    /// Every code this build knows, in numeric order (renderers and tests iterate it).
    public static let allKnown: [ResultCode] = [
        .ok,
        .badSignature, .wrongChain, .staleNonce, .unknownSigner, .signerKeyMismatch, .signerSuspended, .nonceGap,
        .missingRole, .notPatientOrGuardian, .wrongOrganization, .noActiveGrant, .notAdmin, .wrongKind,
        .identityExists, .unknownIdentity, .reportExists, .unknownReport, .unknownVersion, .invalidStatusTransition,
        .grantExists, .unknownGrant, .grantNotActive, .staleVersion, .limitReached, .caseExists, .unknownCase,
        .caseClosed,
        .invalidField,
    ]

    public var name: String {
        switch rawValue {
        case 0: "ok"
        case 101: "bad-signature"
        case 102: "wrong-chain"
        case 103: "stale-nonce"
        case 104: "unknown-signer"
        case 105: "signer-key-mismatch"
        case 106: "signer-suspended"
        case 107: "nonce-gap"
        case 201: "missing-role"
        case 202: "not-patient-or-guardian"
        case 203: "wrong-organization"
        case 204: "no-active-grant"
        case 205: "not-admin"
        case 206: "wrong-kind"
        case 301: "identity-exists"
        case 302: "unknown-identity"
        case 303: "report-exists"
        case 304: "unknown-report"
        case 305: "unknown-version"
        case 306: "invalid-status-transition"
        case 307: "grant-exists"
        case 308: "unknown-grant"
        case 309: "grant-not-active"
        case 310: "stale-version"
        case 311: "limit-reached"
        case 312: "case-exists"
        case 313: "unknown-case"
        case 314: "case-closed"
        case 401: "invalid-field"
        default: "code-\(rawValue)"
        }
    }

    public var isSuccess: Bool { self == .ok }
    public var description: String { "\(rawValue) \(name)" }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        rawValue = try decoder.readUInt16("code")
    }
}
