/// What kind of party an identity is.
public enum IdentityKind: UInt8, TaggedEnum {
    case organization = 1
    case practitioner = 2
    case patient = 3
    case node = 4
    public var tag: UInt8 { rawValue }
    public var name: String { ["organization", "practitioner", "patient", "node"][Int(rawValue) - 1] }
    public static let fieldName = "kind"
}

/// What a practitioner may do. Roles are granted by their organization's admin.
public enum Role: UInt8, TaggedEnum {
    case author = 1
    case approver = 2
    case reader = 3
    case emergency = 4
    case admin = 5
    case privacyOfficer = 6
    public var tag: UInt8 { rawValue }
    public var name: String {
        switch self {
        case .author: "author"
        case .approver: "approver"
        case .reader: "reader"
        case .emergency: "emergency"
        case .admin: "admin"
        case .privacyOfficer: "privacy-officer"
        }
    }
    public static let fieldName = "role"
}

public enum IdentityStatus: UInt8, TaggedEnum {
    case active = 1
    case suspended = 2
    public var tag: UInt8 { rawValue }
    public var name: String { self == .active ? "active" : "suspended" }
    public static let fieldName = "status"
}

/// FHIR R4 DiagnosticReport.status.
public enum ReportStatus: UInt8, TaggedEnum {
    case registered = 1
    case preliminary = 2
    case final = 3
    case amended = 4
    case corrected = 5
    case appended = 6
    case cancelled = 7
    case enteredInError = 8
    public var tag: UInt8 { rawValue }
    public var name: String {
        ["registered", "preliminary", "final", "amended", "corrected", "appended", "cancelled", "entered-in-error"][
            Int(rawValue) - 1]
    }
    public static let fieldName = "reportStatus"
    /// Released for clinical use: distribution happens on entering one of these.
    public var isReleased: Bool { self == .final || self == .amended || self == .corrected || self == .appended }
}

/// Why someone reads a report (a subset of HL7 PurposeOfUse, named plainly).
public enum Purpose: UInt8, TaggedEnum {
    case treatment = 1
    case research = 2
    case emergency = 3
    case payment = 4
    case legal = 5
    public var tag: UInt8 { rawValue }
    public var name: String { ["treatment", "research", "emergency", "payment", "legal"][Int(rawValue) - 1] }
    public static let fieldName = "purpose"
}

/// How a new version relates to the one it replaces.
public enum RevisionKind: UInt8, TaggedEnum {
    /// Clinical content changed or added after release (FHIR `amended`).
    case amend = 1
    /// An error in a released report was fixed (FHIR `corrected`).
    case correct = 2
    public var tag: UInt8 { rawValue }
    public var name: String { self == .amend ? "amend" : "correct" }
    public static let fieldName = "revisionKind"
    public var resultingStatus: ReportStatus { self == .amend ? .amended : .corrected }
}

/// Why a report was revised or withdrawn. A code, not free text: free text could carry
/// protected health information onto the ledger. Details go in the encrypted metadata.
public enum ChangeReason: UInt8, TaggedEnum {
    case clericalError = 1
    case additionalInformation = 2
    case revisedInterpretation = 3
    case wrongPatient = 4
    case duplicate = 5
    case other = 6
    public var tag: UInt8 { rawValue }
    public var name: String {
        switch self {
        case .clericalError: "clerical-error"
        case .additionalInformation: "additional-information"
        case .revisedInterpretation: "revised-interpretation"
        case .wrongPatient: "wrong-patient"
        case .duplicate: "duplicate"
        case .other: "other"
        }
    }
    public static let fieldName = "reason"
}

/// What a grant covers.
public enum GrantScope: Hashable, Sendable, CanonicalCodable {
    case allReports
    case reports([ReportID])
    case categories([Code])

    public func covers(report: ReportID, category: Code) -> Bool {
        switch self {
        case .allReports: true
        case .reports(let ids): ids.contains(report)
        case .categories(let codes): codes.contains(category)
        }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .allReports: encoder.write(UInt8(1))
        case .reports(let ids):
            encoder.write(UInt8(2))
            encoder.write(array: ids)
        case .categories(let codes):
            encoder.write(UInt8(3))
            encoder.write(array: codes)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        switch try decoder.readUInt8("scope") {
        case 1: self = .allReports
        case 2:
            self = .reports(try decoder.readArray(ReportID.self, "scope.reports", maxCount: Limits.grantScopeMaxItems))
        case 3:
            self = .categories(
                try decoder.readArray(Code.self, "scope.categories", maxCount: Limits.grantScopeMaxItems))
        case let tag: throw CanonicalDecodingError(field: "scope", reason: "unknown tag \(tag)")
        }
    }
}

/// A report's data key wrapped (HPKE) to one recipient's encryption key.
public struct KeyEnvelope: Hashable, Sendable, CanonicalCodable {
    /// Room for an X-Wing encapsulation (1,120 bytes) with margin.
    public static let maxPartBytes = 1_200
    public let recipient: IdentityID
    public let encapsulatedKey: [UInt8]
    public let wrappedKey: [UInt8]

    public init(recipient: IdentityID, encapsulatedKey: [UInt8], wrappedKey: [UInt8]) {
        self.recipient = recipient
        self.encapsulatedKey = encapsulatedKey
        self.wrappedKey = wrappedKey
    }
    /// The suite the envelope was sealed with, named by its encapsulated key's length (32
    /// X25519, 1,120 X-Wing; ADR 11); nil when no suite has that length. HPKE binds the suite
    /// into its key schedule, so an envelope cannot be opened as another suite's.
    public var suite: EncryptionSuite? { EncryptionSuite(encapsulatedKeyByteCount: encapsulatedKey.count) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(recipient)
        encoder.write(bytes: encapsulatedKey)
        encoder.write(bytes: wrappedKey)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        recipient = try decoder.read(IdentityID.self)
        encapsulatedKey = try decoder.readBytes("envelope.encapsulatedKey", maxCount: Self.maxPartBytes)
        wrappedKey = try decoder.readBytes("envelope.wrappedKey", maxCount: Self.maxPartBytes)
    }
}
