import MedLedgerCore

/// The key of one state entry: a one-byte table tag then the entity id. Keys sort bytewise,
/// which fixes the order of the state tree.
public enum StateKey: Hashable, Sendable {
    case identity(IdentityID)
    case report(ReportID)
    case grant(GrantID)
    /// One version of a report, stored apart from the report's header so that a revision
    /// writes and hashes only what changed (not every earlier version again).
    case reportVersion(ReportID, ReportVersion)
    /// The nodes that attested holding a report version's blob.
    case blobHolders(ReportID, ReportVersion)
    /// A privacy case.
    case `case`(CaseID)
    /// A patient's guardians, apart from the identity record, whose proof is public.
    case guardians(IdentityID)

    public var bytes: [UInt8] {
        switch self {
        case .identity(let id): [1] + id.hash.bytes
        case .report(let id): [2] + id.bytes
        case .grant(let id): [3] + id.bytes
        case .reportVersion(let id, let version):
            [4] + id.bytes + Self.bigEndian(version.rawValue)
        case .blobHolders(let id, let version):
            [5] + id.bytes + Self.bigEndian(version.rawValue)
        case .case(let id): [6] + id.bytes
        case .guardians(let patient): [7] + patient.hash.bytes
        }
    }

    private static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    /// The entry's path in the state tree: SHA-256 of its key (see `SparseMerkle`).
    var path: SparseMerkle.Digest { .of(bytes) }

    public init?(bytes: [UInt8]) {
        guard let tag = bytes.first else { return nil }
        let rest = Array(bytes.dropFirst())
        switch tag {
        case 1:
            guard let hash = Hash256(bytes: rest) else { return nil }
            self = .identity(IdentityID(hash: hash))
        case 2:
            guard let id = ReportID(bytes: rest) else { return nil }
            self = .report(id)
        case 3:
            guard let id = GrantID(bytes: rest) else { return nil }
            self = .grant(id)
        case 4, 5:
            guard rest.count == ReportID.byteCount + 4, let id = ReportID(bytes: Array(rest.prefix(ReportID.byteCount)))
            else {
                return nil
            }
            let version = rest.suffix(4).reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
            guard version >= 1 else { return nil }
            self = tag == 4 ? .reportVersion(id, ReportVersion(version)) : .blobHolders(id, ReportVersion(version))
        case 6:
            guard let id = CaseID(bytes: rest) else { return nil }
            self = .case(id)
        case 7:
            guard let hash = Hash256(bytes: rest) else { return nil }
            self = .guardians(IdentityID(hash: hash))
        default: return nil
        }
    }
}
