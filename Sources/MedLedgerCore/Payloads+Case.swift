/// What a `CaseID` names.
public enum CaseIDKind {}
/// Sixteen client-chosen random bytes that name a privacy case, first bit clear (the other
/// half of the id space is kept free for ids the contracts might derive one day).
public typealias CaseID = OpaqueID<CaseIDKind>

extension OpaqueID where Kind == CaseIDKind {
    /// A fresh random case id with the first bit clear (client side only).
    public static func randomCaseID() -> CaseID {
        var bytes = random().bytes
        bytes[0] &= 0x7f
        return CaseID(bytes: bytes)!
    }
    /// True when the first bit is set: the half of the id space `open-case` refuses.
    public var isReserved: Bool { bytes[0] & 0x80 != 0 }
}

/// Why a patient (or guardian) reports a read to the reader's privacy officer.
public enum CaseConcern: UInt8, TaggedEnum {
    case notInvolvedInCare = 1
    case wrongPurpose = 2
    case unexpectedOrganization = 3
    case other = 4
    public var tag: UInt8 { rawValue }
    public var name: String {
        ["not-involved-in-care", "wrong-purpose", "unexpected-organization", "other"][Int(rawValue) - 1]
    }
    public static let fieldName = "concern"
}

/// What the privacy officer found.
public enum CaseResolution: UInt8, TaggedEnum {
    case appropriate = 1
    case inappropriate = 2
    /// Handed on (to a regulator, HR, the police): the ledger records only that.
    case referred = 3
    public var tag: UInt8 { rawValue }
    public var name: String { ["appropriate", "inappropriate", "referred"][Int(rawValue) - 1] }
    public static let fieldName = "resolution"
}

/// Whether a case still waits for the privacy officer.
public enum CaseStatus: UInt8, TaggedEnum {
    case open = 1
    case resolved = 2
    public var tag: UInt8 { rawValue }
    public var name: String { self == .open ? "open" : "resolved" }
    public static let fieldName = "caseStatus"
}

/// The patient (or a guardian) reports one read of their report: the case goes to the
/// privacy officers of the reader's organization.
public struct OpenCase: Hashable, Sendable, CanonicalCodable {
    public let caseID: CaseID
    /// The `access-report` transaction the patient saw in their audit trail. The contracts
    /// keep it as evidence; the API checks that it names this report and reader.
    public let accessTransaction: Hash256
    public let report: ReportID
    public let reader: IdentityID
    public let concern: CaseConcern

    public init(
        caseID: CaseID, accessTransaction: Hash256, report: ReportID, reader: IdentityID, concern: CaseConcern
    ) {
        self.caseID = caseID
        self.accessTransaction = accessTransaction
        self.report = report
        self.reader = reader
        self.concern = concern
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(caseID)
        encoder.write(accessTransaction)
        encoder.write(report)
        encoder.write(reader)
        encoder.write(concern)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        caseID = try decoder.read(CaseID.self)
        accessTransaction = try decoder.read(Hash256.self)
        report = try decoder.read(ReportID.self)
        reader = try decoder.read(IdentityID.self)
        concern = try decoder.read(CaseConcern.self)
    }
}

/// A privacy officer of the case's organization records the outcome; the case closes.
public struct ResolveCase: Hashable, Sendable, CanonicalCodable {
    public let caseID: CaseID
    public let resolution: CaseResolution

    public init(caseID: CaseID, resolution: CaseResolution) {
        self.caseID = caseID
        self.resolution = resolution
    }
    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(caseID)
        encoder.write(resolution)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        caseID = try decoder.read(CaseID.self)
        resolution = try decoder.read(CaseResolution.self)
    }
}
