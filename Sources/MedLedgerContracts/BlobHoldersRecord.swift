import MedLedgerCore

/// A node's attestation that it holds a version's blob: who, and since which block time.
public struct BlobHolder: Hashable, Sendable, CanonicalCodable {
    public let node: IdentityID
    /// The consensus time of the block with the node's latest attestation of this blob.
    public let attestedAt: ConsensusTime

    public init(node: IdentityID, attestedAt: ConsensusTime) {
        self.node = node
        self.attestedAt = attestedAt
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(node)
        encoder.write(attestedAt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        node = try decoder.read(IdentityID.self)
        attestedAt = try decoder.read(ConsensusTime.self)
    }
}

/// The nodes that attested holding one report version's blob, sorted by node id (one entry
/// per node, at most one per validator). State entry `0x05 ‖ report ‖ version`.
public struct BlobHoldersRecord: Hashable, Sendable, CanonicalCodable {
    public private(set) var holders: [BlobHolder]

    public init(holders: [BlobHolder] = []) {
        precondition(holders.count <= Limits.validatorsMaxCount, "one holder per validator at most")
        self.holders = holders.sorted { $0.node < $1.node }
    }

    /// Records `node`'s attestation at `time` (replacing its earlier one).
    mutating func attest(_ node: IdentityID, at time: ConsensusTime) {
        holders.removeAll { $0.node == node }
        holders.append(BlobHolder(node: node, attestedAt: time))
        holders.sort { $0.node < $1.node }
        precondition(holders.count <= Limits.validatorsMaxCount, "only validators attest")
    }

    public func holds(_ node: IdentityID) -> Bool { holders.contains { $0.node == node } }

    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(array: holders) }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        holders = try decoder.readArray(BlobHolder.self, "holders", maxCount: Limits.validatorsMaxCount)
    }
}
