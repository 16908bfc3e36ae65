import MedLedgerCore

/// The contract state: identities, reports and grants, plus the bookkeeping to compute the
/// state root and to hand the changed entries to storage after each block.
///
/// Two layers: `committed` (the state after the latest block) and `pending` (what the block
/// being executed changed). Writes go to `pending` only, so a copy made to execute a
/// proposal (`var scratch = state`) shares the committed dictionaries and costs nothing
/// however large the state is; `adopt` later folds a decided block's pending layer into the
/// live state in place.
///
/// Dictionaries here are only looked up, never iterated into anything hashed: the state
/// root walks sorted keys (see `StateTree`).
public struct LedgerState: Sendable {
    struct Layer: Sendable {
        var identities: [IdentityID: IdentityRecord] = [:]
        var reports: [ReportID: ReportRecord] = [:]
        var grants: [GrantID: GrantRecord] = [:]
        /// A patient's grants, for the access check. Derived, so not part of the root.
        var grantsByPatient: [IdentityID: [GrantID]] = [:]
        /// Attested blob holders per report version.
        var blobHolders: [BlobHolding: BlobHoldersRecord] = [:]
        var cases: [CaseID: CaseRecord] = [:]
        /// A patient's guardians; an empty record stands for a removed entry.
        var guardians: [IdentityID: GuardiansRecord] = [:]
        var isEmpty: Bool {
            identities.isEmpty && reports.isEmpty && grants.isEmpty && blobHolders.isEmpty && cases.isEmpty
                && guardians.isEmpty
        }
    }

    private var committed = Layer()
    private var pending = Layer()
    /// Keys changed since the last `takeChanges()`.
    private(set) var dirty: Set<StateKey> = []
    var tree = StateTree()

    public init() {}

    public func identity(_ id: IdentityID) -> IdentityRecord? { pending.identities[id] ?? committed.identities[id] }
    public func report(_ id: ReportID) -> ReportRecord? { pending.reports[id] ?? committed.reports[id] }
    public func grant(_ id: GrantID) -> GrantRecord? { pending.grants[id] ?? committed.grants[id] }
    public func `case`(_ id: CaseID) -> CaseRecord? { pending.cases[id] ?? committed.cases[id] }
    /// The nodes that attested holding the blob of `holding`'s report version (empty: none).
    public func blobHolders(_ holding: BlobHolding) -> BlobHoldersRecord {
        pending.blobHolders[holding] ?? committed.blobHolders[holding] ?? BlobHoldersRecord()
    }
    /// The patient's guardians (empty: none).
    public func guardians(of patient: IdentityID) -> GuardiansRecord {
        pending.guardians[patient] ?? committed.guardians[patient] ?? GuardiansRecord()
    }
    /// True when `id` is one of `patient`'s guardians.
    public func isGuardian(_ id: IdentityID, of patient: IdentityID) -> Bool { guardians(of: patient).contains(id) }
    /// Committed attestations, by report version (for `verify`; never iterated into a hash).
    public var attestedBlobHolders: [BlobHolding: BlobHoldersRecord] { committed.blobHolders }

    /// The patient's grants, sorted by id (deterministic choice of a basis).
    public func grants(ofPatient patient: IdentityID) -> [GrantRecord] {
        ((committed.grantsByPatient[patient] ?? []) + (pending.grantsByPatient[patient] ?? [])).sorted().compactMap(
            grant)
    }

    /// Committed identities (after `foldPending` or `adopt`; the pending layer is not included).
    public var identities: [IdentityID: IdentityRecord] { committed.identities }
    public var reports: [ReportID: ReportRecord] { committed.reports }
    public var grants: [GrantID: GrantRecord] { committed.grants }
    public var cases: [CaseID: CaseRecord] { committed.cases }

    mutating func put(_ record: IdentityRecord) {
        pending.identities[record.id] = record
        dirty.insert(.identity(record.id))
    }

    /// Marks the header and only the versions that are new or changed: a revision writes one
    /// version, not all earlier ones again.
    mutating func put(_ record: ReportRecord) {
        let previous = report(record.id)?.versions ?? []
        precondition(record.versions.count >= previous.count, "versions are never removed")
        pending.reports[record.id] = record
        dirty.insert(.report(record.id))
        for (index, version) in record.versions.enumerated() where index >= previous.count || previous[index] != version
        {
            dirty.insert(.reportVersion(record.id, version.version))
        }
    }

    mutating func put(_ record: BlobHoldersRecord, for holding: BlobHolding) {
        pending.blobHolders[holding] = record
        dirty.insert(.blobHolders(holding.report, holding.version))
    }

    /// Replaces the patient's guardians; an empty list removes the entry.
    mutating func put(_ record: GuardiansRecord, for patient: IdentityID) {
        pending.guardians[patient] = record
        dirty.insert(.guardians(patient))
    }

    mutating func put(_ record: CaseRecord) {
        pending.cases[record.id] = record
        dirty.insert(.case(record.id))
    }

    mutating func put(_ record: GrantRecord) {
        if grant(record.id) == nil { pending.grantsByPatient[record.patient, default: []].append(record.id) }
        pending.grants[record.id] = record
        dirty.insert(.grant(record.id))
    }

    /// The canonical bytes of the entry under `key`, or nil when absent.
    public func encodedValue(_ key: StateKey) -> [UInt8]? {
        switch key {
        case .identity(let id): identity(id)?.canonicalBytes
        case .report(let id): report(id).map { ReportHeader($0).canonicalBytes }
        case .grant(let id): grant(id)?.canonicalBytes
        case .reportVersion(let id, let number): report(id)?.version(number)?.canonicalBytes
        case .blobHolders(let id, let number):
            (pending.blobHolders[BlobHolding(report: id, version: number)]
                ?? committed.blobHolders[BlobHolding(report: id, version: number)])?.canonicalBytes
        case .case(let id): self.case(id)?.canonicalBytes
        case .guardians(let patient):
            guardians(of: patient).guardians.isEmpty ? nil : guardians(of: patient).canonicalBytes
        }
    }

    /// How many entries the committed state stores (a report counts once plus once per version).
    public var committedEntryCount: Int {
        committed.identities.count + committed.grants.count
            + committed.reports.values.reduce(0) { $0 + 1 + $1.versions.count } + committed.blobHolders.count
            + committed.cases.count + committed.guardians.count
    }

    /// The entries changed since the last call, sorted by key, and clears the change set.
    /// Also folds the changes into the state tree, so `stateRoot()` is current afterwards.
    public mutating func takeChanges() -> [(key: [UInt8], value: [UInt8]?)] {
        // Each key's bytes are built once: a comparator that built them would allocate two
        // arrays per comparison, n log n of them.
        let changed = dirty.map { (key: $0, bytes: $0.bytes) }.sorted { $0.bytes.lexicographicallyPrecedes($1.bytes) }
        dirty.removeAll()  // not keeping capacity: see `StateTree.root()`
        var out = [(key: [UInt8], value: [UInt8]?)]()
        out.reserveCapacity(changed.count)
        for (key, bytes) in changed {
            let value = encodedValue(key)
            tree.update(path: .of(bytes), valueHash: value.map { .of($0) })
            out.append((bytes, value))
        }
        return out
    }

    /// Moves the pending layer into the committed one, in place (cheap when this state is
    /// the only owner of its committed dictionaries, as the live state and a replay are).
    public mutating func foldPending() {
        precondition(dirty.isEmpty, "take the changes before folding")
        Self.merge(pending, into: &committed)
        pending = Layer()
    }

    /// What a speculative execution changed: its pending layer and its tree.
    public struct Outcome: Sendable {
        fileprivate let pending: Layer
        fileprivate let tree: StateTree
    }

    /// Detaches the pending layer and tree of an executed copy, so the copy itself (and its
    /// share of the committed dictionaries) can be released before `adopt`.
    public mutating func detachOutcome() -> Outcome {
        precondition(dirty.isEmpty, "take the changes before detaching")
        let outcome = Outcome(pending: pending, tree: tree)
        pending = Layer()
        return outcome
    }

    /// Makes a decided block's outcome live: its pending layer (which includes anything this
    /// state still had pending, since it was copied from it) is merged in place.
    public mutating func adopt(_ outcome: Outcome) {
        Self.merge(outcome.pending, into: &committed)
        pending = Layer()
        dirty.removeAll()
        tree = outcome.tree
    }

    private static func merge(_ layer: Layer, into target: inout Layer) {
        target.identities.merge(layer.identities) { _, new in new }
        target.reports.merge(layer.reports) { _, new in new }
        target.grants.merge(layer.grants) { _, new in new }
        target.blobHolders.merge(layer.blobHolders) { _, new in new }
        target.cases.merge(layer.cases) { _, new in new }
        for (patient, record) in layer.guardians {
            target.guardians[patient] = record.guardians.isEmpty ? nil : record
        }
        for (patient, ids) in layer.grantsByPatient {
            target.grantsByPatient[patient, default: []].append(contentsOf: ids)
        }
    }

    /// Rebuilds a state from stored entries (node restart). Fails on any undecodable entry,
    /// naming its key.
    ///
    /// The records go straight into the committed layer, into dictionaries sized for them,
    /// and the tree is built in one pass: a restart of 10^6 entries spent most of its time
    /// growing dictionaries an entry at a time and then merging a pending layer of the whole
    /// state into an empty one (docs/performance.md, "A restart of a large state").
    public static func load(entries: [(key: [UInt8], value: [UInt8])]) throws -> LedgerState {
        var keys = [StateKey]()
        keys.reserveCapacity(entries.count)
        var identityCount = 0
        for entry in entries {
            guard let key = StateKey(bytes: entry.key) else {
                throw StateLoadError(key: Hex.encode(entry.key), reason: "unknown key format")
            }
            if case .identity = key { identityCount += 1 }
            keys.append(key)
        }
        var layer = Layer()
        layer.identities.reserveCapacity(identityCount)
        var headers = [ReportID: ReportHeader]()
        var versions = [ReportID: [ReportVersion: ReportVersionRecord]]()
        for (key, entry) in zip(keys, entries) {
            do {
                switch key {
                case .identity:
                    let record = try IdentityRecord.decode(canonical: entry.value)
                    layer.identities[record.id] = record
                case .report(let id): headers[id] = try ReportHeader.decode(canonical: entry.value)
                case .grant:
                    let record = try GrantRecord.decode(canonical: entry.value)
                    if layer.grants.updateValue(record, forKey: record.id) == nil {
                        layer.grantsByPatient[record.patient, default: []].append(record.id)
                    }
                case .reportVersion(let id, let number):
                    let version = try ReportVersionRecord.decode(canonical: entry.value)
                    guard version.version == number else {
                        throw StateLoadError(key: Hex.encode(entry.key), reason: "holds version \(version.version)")
                    }
                    versions[id, default: [:]][number] = version
                case .blobHolders(let id, let number):
                    layer.blobHolders[BlobHolding(report: id, version: number)] = try BlobHoldersRecord.decode(
                        canonical: entry.value)
                case .case:
                    let record = try CaseRecord.decode(canonical: entry.value)
                    layer.cases[record.id] = record
                case .guardians(let patient):
                    let record = try GuardiansRecord.decode(canonical: entry.value)
                    guard !record.guardians.isEmpty else {
                        throw StateLoadError(key: Hex.encode(entry.key), reason: "an empty guardians list is stored")
                    }
                    layer.guardians[patient] = record
                }
            } catch let error as StateLoadError {
                throw error
            } catch {
                throw StateLoadError(key: Hex.encode(entry.key), reason: "\(error)")
            }
        }
        // Reassembled in id order; each report needs exactly versions 1…count.
        for (id, header) in headers.sorted(by: { $0.key < $1.key }) {
            let stored = versions.removeValue(forKey: id) ?? [:]
            let ordered = (1...max(1, header.versionCount)).compactMap { stored[ReportVersion($0)] }
            guard stored.count == Int(header.versionCount),
                let record = ReportRecord(header: header, versions: ordered)
            else {
                throw StateLoadError(
                    key: Hex.encode(StateKey.report(id).bytes),
                    reason: "header names \(header.versionCount) versions, \(stored.count) are stored")
            }
            layer.reports[record.id] = record
        }
        if let orphan = versions.keys.sorted().first {
            throw StateLoadError(
                key: Hex.encode(StateKey.report(orphan).bytes), reason: "versions without a report header")
        }
        var state = LedgerState()
        state.committed = layer
        // The tree is fed the stored bytes as they are, not re-encoded records: a restart of
        // a large state spent most of its time sorting and re-encoding what the rows already
        // hold. A stored value that is not its record's canonical encoding then shows as a
        // state root that differs from the block's, which the node checks on restore.
        do throws(StateTree.DuplicatePath) {
            state.tree = try StateTree.building(entries.map { (path: .of($0.key), valueHash: .of($0.value)) })
        } catch {
            let key = entries.first { SparseMerkle.Digest.of($0.key) == error.path }?.key ?? []
            throw StateLoadError(key: Hex.encode(key), reason: "stored twice")
        }
        return state
    }
}

/// A stored state entry could not be read back.
public struct StateLoadError: Error, CustomStringConvertible {
    public let key: String
    public let reason: String
    public var description: String { "state entry \(key): \(reason)" }
}
