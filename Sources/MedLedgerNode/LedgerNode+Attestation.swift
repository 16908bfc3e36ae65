import MedLedgerContracts
import MedLedgerCore

extension LedgerNode {
    /// Report versions whose blob this node stores (checked against its address) and has
    /// not attested on the ledger yet, in (report, version) order, at most `limit`.
    func unattestedHoldings(limit: Int = Limits.attestationHoldingsMax) -> [BlobHolding] {
        precondition(limit > 0 && limit <= Limits.attestationHoldingsMax, "one attestation's worth")
        var found = [BlobHolding]()
        for report in state.reports.values.sorted(by: { $0.id < $1.id }) {
            guard engine.blobPlacement.eligibleHolders(organization: report.organization).contains(nodeID) else {
                evictOutsidePolicy(report)  // the contracts would refuse an attestation anyway
                continue
            }
            for version in report.versions {
                let holding = BlobHolding(report: report.id, version: version.version)
                guard !state.blobHolders(holding).holds(nodeID), blobs.verify(version.content.contentAddress) else {
                    continue
                }
                found.append(holding)
                if found.count == limit { return found }
            }
        }
        return found
    }

    /// Deletes this node's copies of `report`'s blobs that its organization's storage policy
    /// keeps off this node (a client uploaded here), once all the blob's designated holders
    /// have attested holding it: until then this copy is what they fetch.
    func evictOutsidePolicy(_ report: ReportRecord) {
        for version in report.versions where blobs.contains(version.content.contentAddress) {
            let address = version.content.contentAddress
            let designated = engine.blobPlacement.holders(address: address, organization: report.organization)
            let attested = Set(
                state.blobHolders(BlobHolding(report: report.id, version: version.version)).holders.map(\.node))
            guard !designated.isEmpty, designated.allSatisfy(attested.contains) else { continue }
            blobs.remove(address)
            logger.notice(
                "deleted blob \(address): organization \(report.organization)'s storage policy keeps it on other nodes, which hold it now"
            )
        }
    }

    /// Submits one signed `attest-blobs` transaction for blobs held but not attested yet,
    /// unless one of ours is still waiting in the mempool. Returns how many it names.
    /// - Parameter fullScan: scan even if nothing changed (an attestation that never
    ///   committed, a blob put back by hand).
    @discardableResult
    func attestHeldBlobs(fullScan: Bool = false) -> Int {
        if fullScan { attestationScanNeeded = true }
        guard attestationScanNeeded, haltReason == nil, mempool.pendingNonce(of: nodeID) == nil else { return 0 }
        let holdings = unattestedHoldings()
        // A full attestation may leave more behind: scan again once this one has committed.
        attestationScanNeeded = holdings.count == Limits.attestationHoldingsMax
        guard !holdings.isEmpty else { return 0 }
        let tx = Transaction(
            chainID: genesis.chainID, signer: nodeID, keys: nodeKeys, nonce: nextNonce(for: nodeID),
            payload: .attestBlobs(AttestBlobs(holdings: holdings)))
        do {
            try submit(tx)
            logger.info("attesting \(holdings.count) held blob(s)")
            return holdings.count
        } catch {
            logger.warning("could not submit a blob attestation: \(error)")
            attestationScanNeeded = true
            return 0
        }
    }

    /// A blob was stored here: attest it at the next round.
    func heldBlobsChanged() { attestationScanNeeded = true }

    /// The nodes that attested holding the blob of each version of `report`, by version.
    public func blobHolders(report: ReportID) -> [ReportVersion: [IdentityID]] {
        guard let record = state.report(report) else { return [:] }
        var holders = [ReportVersion: [IdentityID]]()
        for version in record.versions {
            holders[version.version] = state.blobHolders(BlobHolding(report: report, version: version.version)).holders
                .map(\.node)
        }
        return holders
    }
}
