import MedLedgerCore
import MedLedgerContracts

/// A grant as JSON with its status at the node's consensus time, and `canonical` (base64
/// of `GrantRecord.canonicalBytes`).
public struct GrantView: Codable, Sendable {
    public struct ScopeView: Codable, Sendable {
        public let kind: String
        public var reports: [String]?
        public var categories: [String]?
    }

    public let id: String
    public let patient: String
    public let grantee: String
    public let scope: ScopeView
    public let purpose: String
    public let validFrom: String?
    public let validUntil: String?
    public let origin: String
    public let grantedBy: String
    public let grantedAt: String
    public let revokedAt: String?
    public let status: String
    public let canonical: String

    public init(_ grant: GrantRecord, at time: ConsensusTime) {
        id = grant.id.hex
        patient = grant.patient.hex
        grantee = grant.grantee.hex
        scope = Self.scope(grant.scope)
        purpose = grant.purpose.name
        validFrom = grant.validFrom?.description
        validUntil = grant.validUntil?.description
        origin = grant.origin.name
        grantedBy = grant.grantedBy.hex
        grantedAt = grant.grantedAt.description
        revokedAt = grant.revokedAt?.description
        status = grant.status(at: time).rawValue
        canonical = grant.canonicalBytes.base64
    }

    private static func scope(_ scope: GrantScope) -> ScopeView {
        switch scope {
        case .allReports: ScopeView(kind: "all-reports")
        case .reports(let ids): ScopeView(kind: "reports", reports: ids.map(\.hex))
        case .categories(let codes): ScopeView(kind: "categories", categories: codes.map(\.value))
        }
    }
}

/// A key envelope released to a reader, with `canonical` (base64 of its canonical bytes).
public struct KeyEnvelopeView: Codable, Sendable {
    public let recipient: String
    public let encapsulatedKey: String
    public let wrappedKey: String
    public let canonical: String

    public init(_ envelope: KeyEnvelope) {
        recipient = envelope.recipient.hex
        encapsulatedKey = envelope.encapsulatedKey.base64
        wrappedKey = envelope.wrappedKey.base64
        canonical = envelope.canonicalBytes.base64
    }
}
