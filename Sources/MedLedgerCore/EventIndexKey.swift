/// Keys of the node's event index beyond the plain ids in `LedgerEvent.subjects`: narrow
/// lists that must stay cheap to read however many other events pile up under the same id.
///
/// Each key starts with a tag byte and is longer than any plain id (16 or 32 bytes), so it
/// cannot collide with one. The index is not hashed into consensus; `verify` re-derives it.
public enum EventIndexKey {
    /// Public because the ledger store keeps audit trails in an index of their own, chosen by it.
    public static let auditTrailTag: UInt8 = 0xA1
    static let patientReportsTag: UInt8 = 0xA2
    static let grantedVersionTag: UInt8 = 0xA3
    static let grantedReportTag: UInt8 = 0xA4
    static let organizationAccessLogTag: UInt8 = 0xA5
    static let organizationPractitionersTag: UInt8 = 0xA6
    static let organizationPendingReportsTag: UInt8 = 0xA7
    static let organizationCasesTag: UInt8 = 0xA8
    static let patientCasesTag: UInt8 = 0xA9
    static let granteeGrantsTag: UInt8 = 0xAA

    /// Every access attempt (granted or denied) on the patient's reports.
    public static func auditTrail(patient: IdentityID) -> [UInt8] { [auditTrailTag] + patient.hash.bytes }

    /// The first submission of each of the patient's reports.
    public static func patientReports(patient: IdentityID) -> [UInt8] { [patientReportsTag] + patient.hash.bytes }

    /// The reader's granted reads of one report version: what key release looks up.
    public static func grantedReads(reader: IdentityID, report: ReportID, version: ReportVersion) -> [UInt8] {
        [grantedVersionTag] + reader.hash.bytes + report.bytes + bigEndian(version.rawValue)
    }

    /// The reader's granted reads of any version of one report.
    public static func grantedReads(reader: IdentityID, report: ReportID) -> [UInt8] {
        [grantedReportTag] + reader.hash.bytes + report.bytes
    }

    /// Every access attempt (granted or denied) by the organization's practitioners.
    public static func accessLog(organization: IdentityID) -> [UInt8] {
        [organizationAccessLogTag] + organization.hash.bytes
    }

    /// The registration of each of the organization's practitioners.
    public static func practitioners(organization: IdentityID) -> [UInt8] {
        [organizationPractitionersTag] + organization.hash.bytes
    }

    /// Every version of the organization's reports that entered as `preliminary` (a
    /// submission or revision waiting for an approver). Whether it still waits is a state
    /// question: readers check the report's current status.
    public static func pendingReports(organization: IdentityID) -> [UInt8] {
        [organizationPendingReportsTag] + organization.hash.bytes
    }

    /// Every change of the cases opened against reads by the organization's practitioners.
    public static func cases(organization: IdentityID) -> [UInt8] {
        [organizationCasesTag] + organization.hash.bytes
    }

    /// Every change of the cases the patient (or a guardian) opened.
    public static func cases(patient: IdentityID) -> [UInt8] { [patientCasesTag] + patient.hash.bytes }

    /// Every grant made to or revoked from the grantee (a practitioner's worklist reads it,
    /// and its organization's): the grantee's plain id list also holds all its reads.
    public static func grants(grantee: IdentityID) -> [UInt8] { [granteeGrantsTag] + grantee.hash.bytes }

    /// The extra keys an event is filed under.
    static func keys(of event: LedgerEvent) -> [[UInt8]] {
        switch event {
        case .identityRegistered(_, .practitioner, let organization?):
            return [practitioners(organization: organization)]
        case .report(_, _, let patient, let action, let status, let organization):
            var keys: [[UInt8]] = []
            if action == .submitted { keys.append(patientReports(patient: patient)) }
            if action == .submitted || action == .revised, status == .preliminary {
                keys.append(pendingReports(organization: organization))
            }
            return keys
        case .access(let report, let version, let patient, let reader, _, let basis, let organization):
            var keys = [auditTrail(patient: patient)]
            if basis.isGranted {
                keys.append(grantedReads(reader: reader, report: report, version: version))
                keys.append(grantedReads(reader: reader, report: report))
            }
            if let organization { keys.append(accessLog(organization: organization)) }
            return keys
        case .grantChanged(_, _, let grantee, _):
            return [grants(grantee: grantee)]
        case .caseChanged(_, let patient, let organization, _, _):
            return [cases(organization: organization), cases(patient: patient)]
        default:
            return []
        }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
}

/// Where a page of a newest-first event list ends: the next page starts just before it.
public struct EventCursor: Hashable, Sendable, CustomStringConvertible {
    public let height: Height
    public let position: Int
    public let eventIndex: Int

    public init(height: Height, position: Int, eventIndex: Int) {
        precondition(position >= 0 && eventIndex >= 0)
        self.height = height
        self.position = position
        self.eventIndex = eventIndex
    }

    /// Parses `HEIGHT.POSITION.INDEX`, as `description` writes it; nil for anything else.
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 3,
            parts.allSatisfy({ !$0.isEmpty && $0.count <= 19 && $0.utf8.allSatisfy { $0 >= 48 && $0 <= 57 } }),
            let height = UInt64(parts[0]), let position = Int(parts[1]), let eventIndex = Int(parts[2]),
            position >= 0, eventIndex >= 0, height <= UInt64(Int64.max)
        else { return nil }
        self.init(height: Height(height), position: position, eventIndex: eventIndex)
    }

    public var description: String { "\(height).\(position).\(eventIndex)" }
}

/// The largest page any list returns, and the default when the caller names none.
public enum PageLimits {
    public static let maxItems = Limits.pageMaxItems
    public static let defaultItems = Limits.pageDefaultItems
}
