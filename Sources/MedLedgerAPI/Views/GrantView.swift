import MedLedgerCore
import MedLedgerContracts

/// A grant as JSON with its status at the node's consensus time, and `canonical` (base64
/// of `GrantRecord.canonicalBytes`).
struct GrantView: Encodable {
    struct ScopeView: Encodable {
        let kind: String
        var reports: [String]?
        var categories: [String]?
    }

    let id: String
    let patient: String
    let grantee: String
    let scope: ScopeView
    let purpose: String
    let validFrom: String?
    let validUntil: String?
    let origin: String
    let grantedBy: String
    let grantedAt: String
    let revokedAt: String?
    let status: String
    let canonical: String

    init(_ grant: GrantRecord, at time: ConsensusTime) {
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
struct KeyEnvelopeView: Encodable {
    let recipient: String
    let encapsulatedKey: String
    let wrappedKey: String
    let canonical: String

    init(_ envelope: KeyEnvelope) {
        recipient = envelope.recipient.hex
        encapsulatedKey = envelope.encapsulatedKey.base64
        wrappedKey = envelope.wrappedKey.base64
        canonical = envelope.canonicalBytes.base64
    }
}
