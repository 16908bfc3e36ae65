import MedLedgerCore

/// The contract state: identities, reports and grants, plus the bookkeeping to compute the
/// state root and to hand the changed entries to storage after each block.
///
/// Dictionaries here are only looked up, never iterated into anything hashed: the state
/// root walks sorted keys (see `LedgerState+Root.swift`).
public struct LedgerState: Sendable {
    public private(set) var identities: [IdentityID: IdentityRecord] = [:]
    public private(set) var reports: [ReportID: ReportRecord] = [:]
    public private(set) var grants: [GrantID: GrantRecord] = [:]
    /// A patient's grants, for the access check. Derived, so not part of the root.
    private(set) var grantsByPatient: [IdentityID: [GrantID]] = [:]

    /// Keys changed since the last `takeChanges()`.
    private(set) var dirty: Set<StateKey> = []
    var tree = StateTree()

    public init() {}

    public func identity(_ id: IdentityID) -> IdentityRecord? { identities[id] }
    public func report(_ id: ReportID) -> ReportRecord? { reports[id] }
    public func grant(_ id: GrantID) -> GrantRecord? { grants[id] }

    /// The patient's grants, sorted by id (deterministic choice of a basis).
    public func grants(ofPatient patient: IdentityID) -> [GrantRecord] {
        (grantsByPatient[patient] ?? []).sorted().compactMap { grants[$0] }
    }

    mutating func put(_ record: IdentityRecord) {
        identities[record.id] = record
        dirty.insert(.identity(record.id))
    }

    mutating func put(_ record: ReportRecord) {
        reports[record.id] = record
        dirty.insert(.report(record.id))
    }

    mutating func put(_ record: GrantRecord) {
        if grants.updateValue(record, forKey: record.id) == nil {
            grantsByPatient[record.patient, default: []].append(record.id)
        }
        dirty.insert(.grant(record.id))
    }

    /// The canonical bytes of the entry under `key`, or nil when absent.
    public func encodedValue(_ key: StateKey) -> [UInt8]? {
        switch key {
        case .identity(let id): identities[id]?.canonicalBytes
        case .report(let id): reports[id]?.canonicalBytes
        case .grant(let id): grants[id]?.canonicalBytes
        }
    }

    /// The entries changed since the last call, sorted by key, and clears the change set.
    /// Also folds the changes into the state tree, so `root` is current afterwards.
    public mutating func takeChanges() -> [(key: [UInt8], value: [UInt8]?)] {
        let changed = dirty.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        dirty.removeAll(keepingCapacity: true)
        var out = [(key: [UInt8], value: [UInt8]?)]()
        out.reserveCapacity(changed.count)
        for key in changed {
            let value = encodedValue(key)
            tree.update(key: key, value: value)
            out.append((key.bytes, value))
        }
        return out
    }

    /// Rebuilds a state from stored entries (node restart). Fails on any undecodable entry,
    /// naming its key.
    public static func load(entries: [(key: [UInt8], value: [UInt8])]) throws -> LedgerState {
        var state = LedgerState()
        for entry in entries {
            guard let key = StateKey(bytes: entry.key) else {
                throw StateLoadError(key: Hex.encode(entry.key), reason: "unknown key format")
            }
            do {
                switch key {
                case .identity: state.put(try IdentityRecord.decode(canonical: entry.value))
                case .report: state.put(try ReportRecord.decode(canonical: entry.value))
                case .grant: state.put(try GrantRecord.decode(canonical: entry.value))
                }
            } catch {
                throw StateLoadError(key: Hex.encode(entry.key), reason: error.description)
            }
        }
        _ = state.takeChanges()
        return state
    }
}

/// A stored state entry could not be read back.
public struct StateLoadError: Error, CustomStringConvertible {
    public let key: String
    public let reason: String
    public var description: String { "state entry \(key): \(reason)" }
}
