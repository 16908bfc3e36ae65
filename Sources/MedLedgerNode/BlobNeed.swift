import MedLedgerCore

/// A blob a committed report version points to: what replication needs to know about it.
/// The size comes from the ledger, never from a peer, so a transfer can be bounded before
/// its first byte arrives.
struct BlobNeed: Hashable, Sendable {
    let address: Hash256
    let sizeBytes: Int
    /// The report's organization, whose storage policy says where the blob may live.
    let organization: IdentityID

    init(content: ReportContent, organization: IdentityID) {
        // The contracts accept only sizes within the blob limit; clamp so a bad record can
        // never make replication allocate more (its hash check then fails instead).
        self.address = content.contentAddress
        self.sizeBytes = Int(min(content.sizeBytes, UInt64(Limits.blobMaxBytes)))
        self.organization = organization
    }
}
