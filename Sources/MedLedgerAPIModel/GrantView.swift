import MedLedgerContracts
import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.Grant {
    /// A grant as JSON with its status at the node's consensus time, and `canonical` (its
    /// `GrantRecord.canonicalBytes`).
    public init(_ grant: GrantRecord, at time: ConsensusTime) {
        self.init(
            id: grant.id.hex, patient: grant.patient.hex, grantee: grant.grantee.hex, scope: .init(grant.scope),
            purpose: grant.purpose.name, validFrom: grant.validFrom?.description,
            validUntil: grant.validUntil?.description, origin: grant.origin.name, grantedBy: grant.grantedBy.hex,
            grantedAt: grant.grantedAt.description, revokedAt: grant.revokedAt?.description,
            status: StatusPayload(grant.status(at: time)), canonical: .init(grant.canonicalBytes))
    }
}

extension Components.Schemas.Grant.StatusPayload {
    init(_ status: GrantStatus) {
        switch status {
        case .pending: self = .pending
        case .active: self = .active
        case .revoked: self = .revoked
        case .expired: self = .expired
        }
    }
}

extension Components.Schemas.GrantScope {
    init(_ scope: GrantScope) {
        switch scope {
        case .allReports: self.init(kind: .allReports)
        case .reports(let ids): self.init(kind: .reports, reports: ids.map(\.hex))
        case .categories(let codes): self.init(kind: .categories, categories: codes.map(\.value))
        }
    }
}

extension Components.Schemas.KeyEnvelope {
    /// Key material released to a reader, with `canonical` (the envelope's canonical bytes)
    /// and, for a custodian's key share, its x and the threshold.
    public init(_ key: ReleasedKey) {
        let envelope = key.envelope
        self.init(
            recipient: envelope.recipient.hex, encapsulatedKey: .init(envelope.encapsulatedKey),
            wrappedKey: .init(envelope.wrappedKey), canonical: .init(envelope.canonicalBytes))
        if case .share(_, let x, let threshold) = key {
            shareIndex = Int(x)
            self.threshold = Int(threshold)
        }
    }
}
