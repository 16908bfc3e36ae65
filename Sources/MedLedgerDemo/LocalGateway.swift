import MedLedgerAPIModel
import MedLedgerClient
import MedLedgerCore
import MedLedgerNode
import MedLedgerContracts
import MedLedgerStorage
import MedLedgerVault

/// A gateway to a node in the same process. It enforces the same read permissions as the
/// HTTP API; the caller is trusted to be who it says, as within one process it must be.
public struct LocalGateway: LedgerGateway {
    public let node: LedgerNode
    /// Other nodes that receive a copy of every uploaded blob. Nodes do not replicate blobs
    /// among themselves yet, so a client of a multi-node network uploads to each.
    public let blobMirrors: [LedgerNode]
    /// False while the node counts as down (the demo stops one to show reads survive it):
    /// the calls a reader makes to other custodians then fail as an unreachable node would.
    public let isUp: @Sendable () -> Bool
    public init(node: LedgerNode, blobMirrors: [LedgerNode] = [], isUp: @escaping @Sendable () -> Bool = { true }) {
        self.node = node
        self.blobMirrors = blobMirrors
        self.isUp = isUp
    }

    private func requireUp() throws {
        guard isUp() else { throw NodeError(.unavailable, "the node is down") }
    }

    public func chainID() async throws -> String { node.genesis.chainID }
    /// The node is in this process: what it says needs no proof.
    public var provesKeys: Bool { true }
    public func custody() async throws -> ReportCrypto.Custody { node.custody }
    public var nodeDescription: String { "node \(node.nodeID.hex.prefix(12))" }
    public func submit(_ tx: Transaction) async throws -> Hash256 { try await node.submit(tx) }

    public func waitForCommit(_ hash: Hash256) async throws -> CommittedTransaction {
        try requireUp()
        // Generous: an embedded node on a busy machine (CI, a laptop under load) may take a
        // while; a commit that never comes is still reported.
        guard let stored = try await node.waitForCommit(hash, timeout: .seconds(60)) else {
            throw NodeError(.unavailable, "transaction \(hash) was not committed in time")
        }
        return CommittedTransaction(
            hash: hash, height: stored.height, position: stored.position, receipt: stored.receipt)
    }

    public func identity(_ id: IdentityID) async throws -> IdentityRecord? { await node.identity(id) }
    public func nextNonce(for id: IdentityID) async throws -> Nonce { await node.nextNonce(for: id) }

    public func putBlob(_ bytes: [UInt8], caller: ClientIdentity) async throws -> Hash256 {
        let address = try await node.putBlob(bytes, uploader: caller.id)
        for mirror in blobMirrors { _ = try mirror.blobs.put(bytes) }
        return address
    }

    public func versionContent(
        report: ReportID, version: ReportVersion,
        caller: ClientIdentity
    ) async throws -> ReadableVersion {
        let content = try await node.versionContent(report: report, version: version, caller: caller.id)
        let record = try ReportVersionRecord.decode(canonical: content.version.value)
        return ReadableVersion(record: record, key: content.key, ciphertext: content.ciphertext)
    }

    public func keyShare(report: ReportID, version: ReportVersion, caller: ClientIdentity) async throws -> ReleasedKey {
        try requireUp()
        return try await node.releaseKey(report: report, version: version, reader: caller.id)
    }

    public func report(_ id: ReportID, caller: ClientIdentity) async throws -> ReportRecord {
        guard try await node.mayView(report: id, caller: caller.id), let record = await node.report(id) else {
            throw NodeError(.forbidden, field: "report", "no access to report \(id)")
        }
        return record
    }

    public func reports(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<ReportRecord> {
        try await requirePatientAccess(patient, caller)
        let (reports, next) = try await node.reports(
            ofPatient: patient, before: try Self.eventCursor(page), limit: page.limit)
        return Page(items: reports, nextCursor: next?.description)
    }

    public func grants(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<GrantRecord> {
        try await requirePatientAccess(patient, caller)
        let after = try page.cursor.map { text in
            guard let id = GrantID(hex: text) else { throw NodeError(.invalid, field: "cursor", "not a grant cursor") }
            return id
        }
        let (grants, next) = await node.grants(ofPatient: patient, after: after, limit: page.limit)
        return Page(items: grants, nextCursor: next?.hex)
    }

    public func accessTrail(
        ofPatient patient: IdentityID, caller: ClientIdentity,
        page: PageRequest
    ) async throws -> Page<IndexedEvent> {
        try await requirePatientAccess(patient, caller)
        let trail = try await node.accessTrail(
            ofPatient: patient, before: try Self.eventCursor(page), limit: page.limit)
        return Page(items: trail.events, nextCursor: trail.next?.description)
    }

    private static func eventCursor(_ page: PageRequest) throws -> EventCursor? {
        try page.cursor.map { text in
            guard let cursor = EventCursor(text) else {
                throw NodeError(.invalid, field: "cursor", "not an event cursor")
            }
            return cursor
        }
    }

    private func requirePatientAccess(_ patient: IdentityID, _ caller: ClientIdentity) async throws {
        guard await node.speaksFor(patient: patient, caller: caller.id) else {
            throw NodeError(.forbidden, field: "patient", "only the patient or a guardian may see this")
        }
    }
}
