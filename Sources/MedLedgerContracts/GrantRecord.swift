import MedLedgerCore

/// How a grant came to be.
public enum GrantOrigin: UInt8, TaggedEnum {
    /// The patient or a guardian signed it.
    case consent = 1
    /// Created by the distribution rule when a report became final.
    case distribution = 2
    public var tag: UInt8 { rawValue }
    public var name: String { self == .consent ? "consent" : "distribution" }
    public static let fieldName = "origin"
}

/// A consent: a patient lets a grantee read reports in scope for a purpose, for a time.
public struct GrantRecord: Hashable, Sendable, CanonicalCodable {
    public let id: GrantID
    public let patient: IdentityID
    public let grantee: IdentityID
    public let scope: GrantScope
    public let purpose: Purpose
    public let validFrom: ConsensusTime?
    public let validUntil: ConsensusTime?
    public let origin: GrantOrigin
    public let grantedBy: IdentityID
    public let grantedAt: ConsensusTime
    public var revokedAt: ConsensusTime?

    public init(
        id: GrantID, patient: IdentityID, grantee: IdentityID, scope: GrantScope, purpose: Purpose,
        validFrom: ConsensusTime?, validUntil: ConsensusTime?, origin: GrantOrigin,
        grantedBy: IdentityID, grantedAt: ConsensusTime, revokedAt: ConsensusTime? = nil
    ) {
        self.id = id
        self.patient = patient
        self.grantee = grantee
        self.scope = scope
        self.purpose = purpose
        self.validFrom = validFrom
        self.validUntil = validUntil
        self.origin = origin
        self.grantedBy = grantedBy
        self.grantedAt = grantedAt
        self.revokedAt = revokedAt
    }

    /// Status at a consensus time: expiry is decided by block time, never a wall clock.
    public func status(at time: ConsensusTime) -> GrantStatus {
        if revokedAt != nil { return .revoked }
        if let until = validUntil, time >= until { return .expired }
        if let from = validFrom, time < from { return .pending }
        return .active
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(id)
        encoder.write(patient)
        encoder.write(grantee)
        encoder.write(scope)
        encoder.write(purpose)
        encoder.write(optional: validFrom)
        encoder.write(optional: validUntil)
        encoder.write(origin)
        encoder.write(grantedBy)
        encoder.write(grantedAt)
        encoder.write(optional: revokedAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        id = try decoder.read(GrantID.self)
        patient = try decoder.read(IdentityID.self)
        grantee = try decoder.read(IdentityID.self)
        scope = try decoder.read(GrantScope.self)
        purpose = try decoder.read(Purpose.self)
        validFrom = try decoder.readOptional(ConsensusTime.self, "validFrom")
        validUntil = try decoder.readOptional(ConsensusTime.self, "validUntil")
        origin = try decoder.read(GrantOrigin.self)
        grantedBy = try decoder.read(IdentityID.self)
        grantedAt = try decoder.read(ConsensusTime.self)
        revokedAt = try decoder.readOptional(ConsensusTime.self, "revokedAt")
    }
}

/// A grant's status at a given consensus time (FHIR Consent.status, roughly).
public enum GrantStatus: String, Sendable {
    case pending, active, revoked, expired
}
