import MedLedgerContracts
import MedLedgerCore

extension LedgerNode {
    /// Replicates blobs through `replicator` from now on (multi-validator networks).
    func attachReplicator(_ replicator: BlobReplicator) { self.replicator = replicator }

    /// Every blob a committed report version points to, in address order (the replicator's
    /// index, built once at start; commits add to it).
    func referencedBlobs() -> [BlobNeed] {
        var needs = [Hash256: BlobNeed]()
        for report in state.reports.values {
            for version in report.versions {
                needs[version.content.contentAddress] = BlobNeed(
                    content: version.content, organization: report.organization)
            }
        }
        return needs.values.sorted { $0.address < $1.address }
    }

    /// Whether this node is one of the blob's holders (its replicas under the storage policy).
    nonisolated func shouldHold(_ need: BlobNeed) -> Bool {
        engine.blobPlacement.holders(address: need.address, organization: need.organization).contains(nodeID)
    }

    /// Whether the storage policy of the blob's organization lets this node hold it at all.
    nonisolated func mayHold(_ need: BlobNeed) -> Bool {
        engine.blobPlacement.eligibleHolders(organization: need.organization).contains(nodeID)
    }

    /// Makes sure the blob of a committed report version is stored here, fetching it from
    /// peers when it is not and the storage policy allows this node to hold it.
    /// - Throws: `NodeError` `.notFound` naming why the blob cannot be had here.
    public func ensureBlobStored(_ address: Hash256) async throws {
        if blobs.contains(address) { return }
        guard let replicator else {
            throw NodeError(.notFound, field: "address", "blob \(address) is not stored on this node")
        }
        guard let need = await replicator.need(address) else {
            throw NodeError(.notFound, field: "address", "blob \(address) is not a committed report version's")
        }
        guard mayHold(need) else {
            throw NodeError(
                .notFound, field: "address",
                "blob \(address) is not stored on this node: organization \(need.organization)'s storage policy keeps it on other organizations' nodes"
            )
        }
        guard await replicator.fetch(need) else {
            throw NodeError(
                .notFound, field: "address", "blob \(address) is not stored on this node and no peer served it")
        }
    }
}
