import MedLedgerCore

/// A privacy case: a patient (or guardian) reported one read of their report to the
/// privacy officers of the reader's organization. Times are block times.
public struct CaseRecord: Hashable, Sendable, CanonicalCodable {
    public let id: CaseID
    public let patient: IdentityID
    public let report: ReportID
    public let reader: IdentityID
    /// The reader's organization when the case was opened: its privacy officers resolve it.
    public let organization: IdentityID
    /// The `access-report` transaction the case is about (checked by the API, not here).
    public let accessTransaction: Hash256
    public let concern: CaseConcern
    /// Who signed `open-case`: the patient or a guardian.
    public let openedBy: IdentityID
    public let openedAt: ConsensusTime
    public var status: CaseStatus
    public var resolution: CaseResolution?
    public var resolvedBy: IdentityID?
    public var resolvedAt: ConsensusTime?

    public init(
        id: CaseID, patient: IdentityID, report: ReportID, reader: IdentityID, organization: IdentityID,
        accessTransaction: Hash256, concern: CaseConcern, openedBy: IdentityID, openedAt: ConsensusTime,
        status: CaseStatus = .open, resolution: CaseResolution? = nil, resolvedBy: IdentityID? = nil,
        resolvedAt: ConsensusTime? = nil
    ) {
        self.id = id
        self.patient = patient
        self.report = report
        self.reader = reader
        self.organization = organization
        self.accessTransaction = accessTransaction
        self.concern = concern
        self.openedBy = openedBy
        self.openedAt = openedAt
        self.status = status
        self.resolution = resolution
        self.resolvedBy = resolvedBy
        self.resolvedAt = resolvedAt
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(id)
        encoder.write(patient)
        encoder.write(report)
        encoder.write(reader)
        encoder.write(organization)
        encoder.write(accessTransaction)
        encoder.write(concern)
        encoder.write(openedBy)
        encoder.write(openedAt)
        encoder.write(status)
        encoder.write(optional: resolution)
        encoder.write(optional: resolvedBy)
        encoder.write(optional: resolvedAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        id = try decoder.read(CaseID.self)
        patient = try decoder.read(IdentityID.self)
        report = try decoder.read(ReportID.self)
        reader = try decoder.read(IdentityID.self)
        organization = try decoder.read(IdentityID.self)
        accessTransaction = try decoder.read(Hash256.self)
        concern = try decoder.read(CaseConcern.self)
        openedBy = try decoder.read(IdentityID.self)
        openedAt = try decoder.read(ConsensusTime.self)
        status = try decoder.read(CaseStatus.self)
        resolution = try decoder.readOptional(CaseResolution.self, "resolution")
        resolvedBy = try decoder.readOptional(IdentityID.self, "resolvedBy")
        resolvedAt = try decoder.readOptional(ConsensusTime.self, "resolvedAt")
    }
}
