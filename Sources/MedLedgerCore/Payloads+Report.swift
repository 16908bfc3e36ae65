/// The ledger's view of one encrypted report version: addresses, hashes and envelopes only.
public struct ReportContent: Hashable, Sendable, CanonicalCodable {
    /// SHA-256 of the ciphertext blob.
    public let contentAddress: Hash256
    public let sizeBytes: UInt64
    /// SHA-256 over a secret salt and the plaintext: a holder of both can prove integrity.
    public let commitment: Hash256
    /// Title, dates and notes, AES-GCM sealed with the report's data key.
    public let encryptedMetadata: [UInt8]
    /// The data key wrapped to the patient and the author, and one key share (of a
    /// `Genesis.custodyThreshold`-of-n split) wrapped to each custodian node.
    public let envelopes: [KeyEnvelope]
    /// The commitment to each custodian's key share, in genesis validator order (the share
    /// at x = i + 1 belongs to validator i): a reader checks every share it gets against it
    /// and can name a custodian that sent a wrong one (`docs/spec/custody.md`).
    public let shareCommitments: [Hash256]

    public init(
        contentAddress: Hash256, sizeBytes: UInt64, commitment: Hash256, encryptedMetadata: [UInt8],
        envelopes: [KeyEnvelope], shareCommitments: [Hash256]
    ) {
        self.contentAddress = contentAddress
        self.sizeBytes = sizeBytes
        self.commitment = commitment
        self.encryptedMetadata = encryptedMetadata
        self.envelopes = envelopes
        self.shareCommitments = shareCommitments
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(contentAddress)
        encoder.write(sizeBytes)
        encoder.write(commitment)
        encoder.write(bytes: encryptedMetadata)
        encoder.write(array: envelopes)
        encoder.write(array: shareCommitments)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        contentAddress = try decoder.read(Hash256.self)
        sizeBytes = try decoder.readUInt64("sizeBytes")
        commitment = try decoder.read(Hash256.self)
        encryptedMetadata = try decoder.readBytes("encryptedMetadata", maxCount: Limits.encryptedMetadataMaxBytes)
        envelopes = try decoder.readArray(KeyEnvelope.self, "envelopes", maxCount: Limits.envelopesMaxCount)
        shareCommitments = try decoder.readArray(Hash256.self, "shareCommitments", maxCount: Limits.validatorsMaxCount)
    }
}

/// An author submits version 1 of a report for a patient.
public struct SubmitReport: Hashable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let patient: IdentityID
    public let category: Code
    public let content: ReportContent
    /// Ordering practitioner and care team: granted access when the report becomes final.
    public let recipients: [IdentityID]

    public init(report: ReportID, patient: IdentityID, category: Code, content: ReportContent, recipients: [IdentityID])
    {
        self.report = report
        self.patient = patient
        self.category = category
        self.content = content
        self.recipients = recipients
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(patient)
        encoder.write(category)
        encoder.write(content)
        encoder.write(array: recipients)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        patient = try decoder.read(IdentityID.self)
        category = try decoder.read(Code.self)
        content = try decoder.read(ReportContent.self)
        recipients = try decoder.readArray(IdentityID.self, "recipients", maxCount: Limits.recipientsMaxCount)
    }
}

/// An approver signs off a preliminary version, making it final.
public struct ApproveReport: Hashable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let version: ReportVersion

    public init(report: ReportID, version: ReportVersion) {
        self.report = report
        self.version = version
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(version)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        version = try decoder.read(ReportVersion.self)
    }
}

/// An author of the report's organization adds a new version (amend or correct) linked to
/// the latest one.
public struct ReviseReport: Hashable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let previousVersion: ReportVersion
    public let kind: RevisionKind
    public let reason: ChangeReason
    public let content: ReportContent

    public init(
        report: ReportID, previousVersion: ReportVersion, kind: RevisionKind, reason: ChangeReason,
        content: ReportContent
    ) {
        self.report = report
        self.previousVersion = previousVersion
        self.kind = kind
        self.reason = reason
        self.content = content
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(previousVersion)
        encoder.write(kind)
        encoder.write(reason)
        encoder.write(content)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        previousVersion = try decoder.read(ReportVersion.self)
        kind = try decoder.read(RevisionKind.self)
        reason = try decoder.read(ChangeReason.self)
        content = try decoder.read(ReportContent.self)
    }
}

/// An author or approver of the report's organization withdraws the report as entered in error.
public struct MarkEnteredInError: Hashable, Sendable, CanonicalCodable {
    public let report: ReportID
    public let reason: ChangeReason

    public init(report: ReportID, reason: ChangeReason) {
        self.report = report
        self.reason = reason
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(report)
        encoder.write(reason)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        report = try decoder.read(ReportID.self)
        reason = try decoder.read(ChangeReason.self)
    }
}
