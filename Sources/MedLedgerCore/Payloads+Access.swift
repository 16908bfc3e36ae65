/// The patient (or a guardian) grants a practitioner or an organization access.
public struct GrantAccess: Hashable, Sendable, CanonicalCodable {
    public let grant: GrantID
    public let patient: IdentityID
    public let grantee: IdentityID
    public let scope: GrantScope
    public let purpose: Purpose
    public let validFrom: ConsensusTime?
    public let validUntil: ConsensusTime?

    public init(
        grant: GrantID, patient: IdentityID, grantee: IdentityID, scope: GrantScope, purpose: Purpose,
        validFrom: ConsensusTime?, validUntil: ConsensusTime?
    ) {
        self.grant = grant
        self.patient = patient
        self.grantee = grantee
        self.scope = scope
        self.purpose = purpose
        self.validFrom = validFrom
        self.validUntil = validUntil
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(grant)
        encoder.write(patient)
        encoder.write(grantee)
        encoder.write(scope)
        encoder.write(purpose)
        encoder.write(optional: validFrom)
        encoder.write(optional: validUntil)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        grant = try decoder.read(GrantID.self)
        patient = try decoder.read(IdentityID.self)
        grantee = try decoder.read(IdentityID.self)
        scope = try decoder.read(GrantScope.self)
        purpose = try decoder.read(Purpose.self)
        validFrom = try decoder.readOptional(ConsensusTime.self, "validFrom")
        validUntil = try decoder.readOptional(ConsensusTime.self, "validUntil")
    }
}

/// The patient (or a guardian) revokes a grant.
public struct RevokeGrant: Hashable, Sendable, CanonicalCodable {
    public let grant: GrantID
    public init(grant: GrantID) { self.grant = grant }
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(grant) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        grant = try decoder.read(GrantID.self)
    }
}

/// A read: the reader asks for one report version for a purpose. Committed, it is the
/// access receipt that lets a custodian release the key; denied, it is still recorded.
public struct AccessReport: Hashable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let version: ReportVersion
    public let purpose: Purpose

    public init(report: ReportID, version: ReportVersion, purpose: Purpose) {
        self.report = report
        self.version = version
        self.purpose = purpose
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(version)
        encoder.write(purpose)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        version = try decoder.read(ReportVersion.self)
        purpose = try decoder.read(Purpose.self)
    }
}
