import MedLedgerCore
import MedLedgerContracts
import MedLedgerStorage

extension LedgerNode {
    /// Stores a report ciphertext sent by a registered identity; returns its address.
    /// Blobs no committed report points to are bounded per uploader and in all (see
    /// `BlobQuota`), and collected after `Limits.unreferencedBlobGraceMilliseconds`.
    public func putBlob(_ bytes: [UInt8], uploader: IdentityID) throws -> Hash256 {
        guard state.identity(uploader)?.isActive == true else {
            throw NodeError(.forbidden, field: "caller", "only active registered identities may upload")
        }
        guard !bytes.isEmpty, bytes.count <= Limits.blobMaxBytes else {
            throw NodeError(.invalid, field: "body", "blob must be 1-\(Limits.blobMaxBytes) bytes, got \(bytes.count)")
        }
        collectUnreferencedBlobs()
        let address = Hash256.of(bytes)
        // Already stored and not waiting for a report: a report points to it (or it was
        // adopted at start); storing the same bytes again costs nothing.
        if blobQuota.uploads[address] != nil || blobs.contains(address) { return try blobs.put(bytes) }
        if let problem = blobQuota.problem(uploader: uploader, bytes: bytes.count) {
            throw NodeError(.unavailable, field: "body", problem)
        }
        let stored = try blobs.put(bytes)
        blobQuota.record(stored, uploader: uploader, bytes: bytes.count, at: blobClock().milliseconds)
        return stored
    }

    /// Deletes uploaded blobs that no committed report points to and that are older than the
    /// grace period. Returns how many were deleted.
    @discardableResult
    public func collectUnreferencedBlobs() -> Int {
        let now = blobClock().milliseconds
        guard now >= Limits.unreferencedBlobGraceMilliseconds else { return 0 }
        let expired = blobQuota.expired(before: now - Limits.unreferencedBlobGraceMilliseconds)
        guard !expired.isEmpty else { return 0 }
        let referenced = referencedAddresses()
        var collected = 0
        for address in expired {
            if !referenced.contains(address) {
                blobs.remove(address)
                collected += 1
            }
            blobQuota.referenced(address)
        }
        if collected > 0 { logger.info("collected \(collected) blob(s) that no report points to") }
        return collected
    }

    /// Stored blobs no report points to, found on disk after a (re)start: counted against
    /// the node's quota and collected a grace period from now.
    static func unreferencedBlobs(in blobs: FileBlobStore, state: LedgerState, now: WallClockTime) throws -> BlobQuota {
        let referenced = referencedAddresses(in: state)
        var quota = BlobQuota()
        for address in try blobs.allAddresses() where !referenced.contains(address) {
            // The file's size, not its content: start-up must not read gigabytes of blobs.
            let size = blobs.sizeBytes(of: address) ?? 0
            quota.record(address, uploader: nil, bytes: size, at: now.milliseconds)
        }
        return quota
    }

    /// A committed block's report versions now point to their blobs. Only transactions that
    /// succeeded count: a refused submission naming a blob must not release its quota (the
    /// blob would then never be collected either).
    func markReferencedBlobs(in block: Block, receipts: [TransactionReceipt]) {
        precondition(block.transactions.count == receipts.count, "one receipt per transaction")
        var committed = [BlobNeed]()
        for (tx, receipt) in zip(block.transactions, receipts) where receipt.code.isSuccess {
            let (report, content): (ReportID, ReportContent)
            switch tx.payload {
            case .submitReport(let body): (report, content) = (body.report, body.content)
            case .reviseReport(let body): (report, content) = (body.report, body.content)
            case .rekeyReport(let body):
                (report, content) = (body.report, body.content)
                deleteReplacedBlob(body.previousContentAddress)
            case .attestBlobs:
                // Others' attestations may let a copy outside its policy go (`evictOutsidePolicy`).
                attestationScanNeeded = true
                continue
            default: continue
            }
            blobQuota.referenced(content.contentAddress)
            if let organization = state.report(report)?.organization {
                committed.append(BlobNeed(content: content, organization: organization))
            }
        }
        if !committed.isEmpty { attestationScanNeeded = true }
        if let replicator, !committed.isEmpty { Task { await replicator.committed(committed) } }
    }

    /// A re-keyed version's old ciphertext goes at once: the point of re-keying is that a
    /// revoked reader's old key opens nothing this node still holds. Kept if some other
    /// version still points to the same bytes.
    func deleteReplacedBlob(_ address: Hash256) {
        guard !referencedAddresses().contains(address) else { return }
        blobs.remove(address)
        logger.info("deleted blob \(address), replaced by a re-keying")
    }

    /// Every blob address a committed report version points to (built once per collection,
    /// which happens only when some upload has outlived its grace period).
    func referencedAddresses() -> Set<Hash256> {
        Self.referencedAddresses(in: state)
    }

    static func referencedAddresses(in state: LedgerState) -> Set<Hash256> {
        Set(state.reports.values.flatMap { $0.versions.map(\.content.contentAddress) })
    }
}
