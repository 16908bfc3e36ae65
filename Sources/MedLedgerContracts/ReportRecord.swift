import MedLedgerCore

/// Who signed a version off, and when (consensus time).
public struct Approval: Hashable, Sendable, CanonicalCodable {
    public let approver: IdentityID
    public let time: ConsensusTime
    public init(approver: IdentityID, time: ConsensusTime) {
        self.approver = approver
        self.time = time
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(approver)
        encoder.write(time)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        approver = try decoder.read(IdentityID.self)
        time = try decoder.read(ConsensusTime.self)
    }
}

/// Why a version exists when it is not the first.
public struct Revision: Hashable, Sendable, CanonicalCodable {
    public let kind: RevisionKind
    public let reason: ChangeReason
    public init(kind: RevisionKind, reason: ChangeReason) {
        self.kind = kind
        self.reason = reason
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(kind)
        encoder.write(reason)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        kind = try decoder.read(RevisionKind.self)
        reason = try decoder.read(ChangeReason.self)
    }
}

/// One version of a report: its encrypted content's address, status and sign-offs.
public struct ReportVersionRecord: Hashable, Sendable, CanonicalCodable {
    public let version: ReportVersion
    public var status: ReportStatus
    public let author: IdentityID
    public let submittedAt: ConsensusTime
    public let content: ReportContent
    /// nil for version 1; for later versions, why it replaced the previous one.
    public let revision: Revision?
    public var approvals: [Approval]
    /// Set when the version was withdrawn as entered in error.
    public var withdrawal: ChangeReason?

    public init(
        version: ReportVersion, status: ReportStatus, author: IdentityID, submittedAt: ConsensusTime,
        content: ReportContent, revision: Revision?, approvals: [Approval], withdrawal: ChangeReason? = nil
    ) {
        self.version = version
        self.status = status
        self.author = author
        self.submittedAt = submittedAt
        self.content = content
        self.revision = revision
        self.approvals = approvals
        self.withdrawal = withdrawal
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(version)
        encoder.write(status)
        encoder.write(author)
        encoder.write(submittedAt)
        encoder.write(content)
        encoder.write(optional: revision)
        encoder.write(array: approvals)
        encoder.write(optional: withdrawal)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        version = try decoder.read(ReportVersion.self)
        status = try decoder.read(ReportStatus.self)
        author = try decoder.read(IdentityID.self)
        submittedAt = try decoder.read(ConsensusTime.self)
        content = try decoder.read(ReportContent.self)
        revision = try decoder.readOptional(Revision.self, "revision")
        approvals = try decoder.readArray(Approval.self, "approvals", maxCount: Limits.approvalsMaxCount)
        withdrawal = try decoder.readOptional(ChangeReason.self, "withdrawal")
    }

    /// The same version with its content replaced (a re-keying); everything else stays.
    func replacingContent(_ content: ReportContent) -> ReportVersionRecord {
        ReportVersionRecord(
            version: version, status: status, author: author, submittedAt: submittedAt, content: content,
            revision: revision, approvals: approvals, withdrawal: withdrawal)
    }
}

/// A report and all its versions (the latest last).
public struct ReportRecord: Hashable, Sendable, CanonicalCodable {
    public static let versionsMaxCount = Limits.reportVersionsMaxCount
    public let id: ReportID
    public let patient: IdentityID
    public let organization: IdentityID
    public let category: Code
    public let recipients: [IdentityID]
    public var versions: [ReportVersionRecord]
    /// True once recipients were granted access (on first release).
    public var distributed: Bool

    public init(
        id: ReportID, patient: IdentityID, organization: IdentityID, category: Code,
        recipients: [IdentityID], versions: [ReportVersionRecord], distributed: Bool
    ) {
        precondition(!versions.isEmpty, "a report has at least one version")
        self.id = id
        self.patient = patient
        self.organization = organization
        self.category = category
        self.recipients = recipients
        self.versions = versions
        self.distributed = distributed
    }

    public var latest: ReportVersionRecord { versions[versions.count - 1] }
    public func version(_ number: ReportVersion) -> ReportVersionRecord? {
        guard number >= 1, Int(number.rawValue) <= versions.count else { return nil }
        return versions[Int(number.rawValue) - 1]
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(id)
        encoder.write(patient)
        encoder.write(organization)
        encoder.write(category)
        encoder.write(array: recipients)
        encoder.write(array: versions)
        encoder.write(distributed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        id = try decoder.read(ReportID.self)
        patient = try decoder.read(IdentityID.self)
        organization = try decoder.read(IdentityID.self)
        category = try decoder.read(Code.self)
        recipients = try decoder.readArray(IdentityID.self, "recipients", maxCount: Limits.recipientsMaxCount)
        versions = try decoder.readArray(ReportVersionRecord.self, "versions", maxCount: Self.versionsMaxCount)
        distributed = try decoder.readBool("distributed")
        guard !versions.isEmpty else { throw CanonicalDecodingError(field: "versions", reason: "empty") }
    }
}

/// What the state stores under `StateKey.report`: a report without its versions, which are
/// stored one per `StateKey.reportVersion` entry.
public struct ReportHeader: Hashable, Sendable, CanonicalCodable {
    public let id: ReportID
    public let patient: IdentityID
    public let organization: IdentityID
    public let category: Code
    public let recipients: [IdentityID]
    public let versionCount: UInt32
    public let distributed: Bool

    public init(_ record: ReportRecord) {
        id = record.id
        patient = record.patient
        organization = record.organization
        category = record.category
        recipients = record.recipients
        versionCount = UInt32(record.versions.count)
        distributed = record.distributed
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(id)
        encoder.write(patient)
        encoder.write(organization)
        encoder.write(category)
        encoder.write(array: recipients)
        encoder.write(versionCount)
        encoder.write(distributed)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        id = try decoder.read(ReportID.self)
        patient = try decoder.read(IdentityID.self)
        organization = try decoder.read(IdentityID.self)
        category = try decoder.read(Code.self)
        recipients = try decoder.readArray(IdentityID.self, "recipients", maxCount: Limits.recipientsMaxCount)
        versionCount = try decoder.readUInt32("versionCount")
        distributed = try decoder.readBool("distributed")
        guard versionCount >= 1, versionCount <= UInt32(ReportRecord.versionsMaxCount) else {
            throw CanonicalDecodingError(field: "versionCount", reason: "must be 1-\(ReportRecord.versionsMaxCount)")
        }
    }
}

extension ReportRecord {
    /// Reassembles a record from its stored header and versions (in order, 1 first).
    public init?(header: ReportHeader, versions: [ReportVersionRecord]) {
        guard versions.count == Int(header.versionCount), !versions.isEmpty,
            versions.enumerated().allSatisfy({ $0.element.version == ReportVersion(UInt32($0.offset + 1)) })
        else { return nil }
        self.init(
            id: header.id, patient: header.patient, organization: header.organization, category: header.category,
            recipients: header.recipients, versions: versions, distributed: header.distributed)
    }
}
