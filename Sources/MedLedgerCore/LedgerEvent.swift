/// What a report action was, for history and audit.
public enum ReportAction: UInt8, TaggedEnum {
    case submitted = 1
    case approved = 2
    case revised = 3
    case enteredInError = 4
    case distributed = 5
    /// Re-encrypted under a fresh key (`rekey-report`); same plaintext, same commitment.
    case rekeyed = 6
    public var tag: UInt8 { rawValue }
    public var name: String {
        ["submitted", "approved", "revised", "entered-in-error", "distributed", "rekeyed"][Int(rawValue) - 1]
    }
    public static let fieldName = "action"
}

/// Whether a read was allowed, and on what basis.
public enum AccessBasis: Hashable, Sendable, CanonicalCodable {
    /// The reader is the patient, a guardian, or of the authoring organization.
    case relationship
    case grant(GrantID)
    case denied(ResultCode)

    public var isGranted: Bool { if case .denied = self { false } else { true } }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .relationship: encoder.write(UInt8(1))
        case .grant(let id):
            encoder.write(UInt8(2))
            encoder.write(id)
        case .denied(let code):
            encoder.write(UInt8(3))
            encoder.write(code)
        }
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        switch try decoder.readUInt8("basis") {
        case 1: self = .relationship
        case 2: self = .grant(try decoder.read(GrantID.self))
        case 3: self = .denied(try decoder.read(ResultCode.self))
        case let tag: throw CanonicalDecodingError(field: "basis", reason: "unknown tag \(tag)")
        }
    }
}

/// A fact a transaction produced, kept in its receipt and indexed by the node. Events hold
/// only pseudonymous ids and codes.
public enum LedgerEvent: Hashable, Sendable, CanonicalCodable {
    /// `organization` is the practitioner's organization (nil for other kinds), so an
    /// organization's practitioners are one index list.
    case identityRegistered(identity: IdentityID, kind: IdentityKind, organization: IdentityID?)
    case identityUpdated(identity: IdentityID)
    /// `organization` is the report's (authoring) organization.
    case report(
        report: ReportID, version: ReportVersion, patient: IdentityID, action: ReportAction, status: ReportStatus,
        organization: IdentityID)
    case grantChanged(grant: GrantID, patient: IdentityID, grantee: IdentityID, active: Bool)
    /// `organization` is the reader's organization when the reader is a practitioner (nil
    /// for patients and guardians), so an organization's access log is one index list.
    case access(
        report: ReportID, version: ReportVersion, patient: IdentityID, reader: IdentityID, purpose: Purpose,
        basis: AccessBasis, organization: IdentityID?)
    /// A privacy case opened or resolved. `organization` is the reader's organization, whose
    /// privacy officers handle it. Filed under the case, the patient and the organization,
    /// not under the reader: the reader is not told through their own feed.
    case caseChanged(
        case: CaseID, patient: IdentityID, organization: IdentityID, reader: IdentityID, status: CaseStatus)

    /// The ids this event names ("everything about X"). An organization named as a reader's
    /// or a new practitioner's is one of them, so its overseers' event stream shows the
    /// reads and registrations of its practitioners (the report's organization is not: it
    /// only says who wrote the report).
    public var ids: [[UInt8]] {
        switch self {
        case .identityRegistered(let id, _, let organization):
            [id.hash.bytes] + (organization.map { [$0.hash.bytes] } ?? [])
        case .identityUpdated(let id): [id.hash.bytes]
        case .report(let report, _, let patient, _, _, _): [report.bytes, patient.hash.bytes]
        case .grantChanged(let grant, let patient, let grantee, _):
            [grant.bytes, patient.hash.bytes, grantee.hash.bytes]
        case .access(let report, _, let patient, let reader, _, _, let organization):
            [report.bytes, patient.hash.bytes, reader.hash.bytes] + (organization.map { [$0.hash.bytes] } ?? [])
        case .caseChanged(let id, let patient, let organization, _, _):
            [id.bytes, patient.hash.bytes, organization.hash.bytes]
        }
    }

    /// The keys this event is filed under in the node's index: its ids, then the narrow
    /// lists of `EventIndexKey`.
    public var subjects: [[UInt8]] { ids + EventIndexKey.keys(of: self) }

    public func encode(to encoder: inout CanonicalEncoder) {
        switch self {
        case .identityRegistered(let id, let kind, let organization):
            encoder.write(UInt8(1))
            encoder.write(id)
            encoder.write(kind)
            encoder.write(optional: organization)
        case .identityUpdated(let id):
            encoder.write(UInt8(2))
            encoder.write(id)
        case .report(let report, let version, let patient, let action, let status, let organization):
            encoder.write(UInt8(3))
            encoder.write(report)
            encoder.write(version)
            encoder.write(patient)
            encoder.write(action)
            encoder.write(status)
            encoder.write(organization)
        case .grantChanged(let grant, let patient, let grantee, let active):
            encoder.write(UInt8(4))
            encoder.write(grant)
            encoder.write(patient)
            encoder.write(grantee)
            encoder.write(active)
        case .access(let report, let version, let patient, let reader, let purpose, let basis, let organization):
            encoder.write(UInt8(5))
            encoder.write(report)
            encoder.write(version)
            encoder.write(patient)
            encoder.write(reader)
            encoder.write(purpose)
            encoder.write(basis)
            encoder.write(optional: organization)
        case .caseChanged(let id, let patient, let organization, let reader, let status):
            encoder.write(UInt8(6))
            encoder.write(id)
            encoder.write(patient)
            encoder.write(organization)
            encoder.write(reader)
            encoder.write(status)
        }
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        switch try decoder.readUInt8("event") {
        case 1:
            self = .identityRegistered(
                identity: try decoder.read(IdentityID.self), kind: try decoder.read(IdentityKind.self),
                organization: try decoder.readOptional(IdentityID.self, "organization"))
        case 2: self = .identityUpdated(identity: try decoder.read(IdentityID.self))
        case 3:
            self = .report(
                report: try decoder.read(ReportID.self), version: try decoder.read(ReportVersion.self),
                patient: try decoder.read(IdentityID.self), action: try decoder.read(ReportAction.self),
                status: try decoder.read(ReportStatus.self), organization: try decoder.read(IdentityID.self))
        case 4:
            self = .grantChanged(
                grant: try decoder.read(GrantID.self), patient: try decoder.read(IdentityID.self),
                grantee: try decoder.read(IdentityID.self), active: try decoder.readBool("active"))
        case 5:
            self = .access(
                report: try decoder.read(ReportID.self), version: try decoder.read(ReportVersion.self),
                patient: try decoder.read(IdentityID.self), reader: try decoder.read(IdentityID.self),
                purpose: try decoder.read(Purpose.self), basis: try decoder.read(AccessBasis.self),
                organization: try decoder.readOptional(IdentityID.self, "organization"))
        case 6:
            self = .caseChanged(
                case: try decoder.read(CaseID.self), patient: try decoder.read(IdentityID.self),
                organization: try decoder.read(IdentityID.self), reader: try decoder.read(IdentityID.self),
                status: try decoder.read(CaseStatus.self))
        case let tag: throw CanonicalDecodingError(field: "event", reason: "unknown tag \(tag)")
        }
    }
}

/// The result of executing one transaction: a stable code, structured facts, events.
///
/// A receipt holds no text at all: only the code, facts made of fixed-size ids, integers
/// and closed enums, and events. Its hash is a leaf of the block's results root, so a
/// sentence here would put wording under consensus (and free text on the ledger).
/// Sentences are rendered at the edge by `ReceiptText` (`receipt.sentence`).
public struct TransactionReceipt: Hashable, Sendable, CanonicalCodable {
    public let code: ResultCode
    /// What a refusal was about, in order (empty on success: its events say what happened).
    public let facts: [ReceiptFact]
    public let events: [LedgerEvent]

    public init(code: ResultCode, facts: [ReceiptFact] = [], events: [LedgerEvent] = []) {
        precondition(facts.count <= Limits.receiptFactsMaxCount, "a receipt holds at most receiptFactsMaxCount facts")
        precondition(
            events.count <= Limits.receiptEventsMaxCount, "a receipt holds at most receiptEventsMaxCount events")
        self.code = code
        self.facts = facts
        self.events = events
    }

    /// A success: what happened is in the events.
    public static func accepted(_ events: [LedgerEvent]) -> TransactionReceipt {
        TransactionReceipt(code: .ok, events: events)
    }

    public static func rejected(
        _ code: ResultCode, _ facts: [ReceiptFact] = [],
        events: [LedgerEvent] = []
    ) -> TransactionReceipt {
        precondition(code != .ok, "a rejection needs a non-zero code")
        return TransactionReceipt(code: code, facts: facts, events: events)
    }

    /// The receipt's leaf in the block's results tree.
    public var hash: Hash256 { Hash256.of(canonicalBytes) }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(code)
        encoder.write(array: facts)
        encoder.write(array: events)
    }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        code = try decoder.read(ResultCode.self)
        facts = try decoder.readArray(ReceiptFact.self, "facts", maxCount: Limits.receiptFactsMaxCount)
        events = try decoder.readArray(LedgerEvent.self, "events", maxCount: Limits.receiptEventsMaxCount)
    }
}

extension UInt32: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self = try decoder.readUInt32("uint32")
    }
}
