import MedLedgerCore

/// The key of one state entry: a one-byte table tag then the entity id. Keys sort bytewise,
/// which fixes the order of the state tree.
public enum StateKey: Hashable, Sendable {
    case identity(IdentityID)
    case report(ReportID)
    case grant(GrantID)

    public var bytes: [UInt8] {
        switch self {
        case .identity(let id): [1] + id.hash.bytes
        case .report(let id): [2] + id.bytes
        case .grant(let id): [3] + id.bytes
        }
    }

    /// Which of the state tree's buckets the entry lives in (see `StateBuckets`).
    var bucket: Int { StateBuckets.index(ofKey: bytes) }

    public init?(bytes: [UInt8]) {
        guard let tag = bytes.first else { return nil }
        let rest = Array(bytes.dropFirst())
        switch tag {
        case 1: guard let hash = Hash256(bytes: rest) else { return nil }; self = .identity(IdentityID(hash: hash))
        case 2: guard let id = ReportID(bytes: rest) else { return nil }; self = .report(id)
        case 3: guard let id = GrantID(bytes: rest) else { return nil }; self = .grant(id)
        default: return nil
        }
    }
}
