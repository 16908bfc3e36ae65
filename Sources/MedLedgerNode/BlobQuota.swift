import MedLedgerCore

/// Uploaded blobs that no committed report points to yet: who uploaded them, how big they
/// are and when, so uploads are bounded per uploader and in all, and blobs never submitted
/// are collected after a grace period.
///
/// Kept in memory; after a restart `LedgerNode.unreferencedBlobs(in:state:now:)` adopts what
/// is on disk (attributed to no one), with a full grace period from the restart.
struct BlobQuota: Sendable {
    struct Upload: Sendable {
        let uploader: IdentityID?
        let bytes: Int
        let uploadedAtMilliseconds: UInt64
    }

    private(set) var uploads: [Hash256: Upload] = [:]
    private(set) var totalBytes = 0
    private var bytesByUploader: [IdentityID: Int] = [:]

    /// Why `uploader` may not add `bytes` more, or nil when it may.
    func problem(uploader: IdentityID, bytes actualBytes: Int) -> String? {
        let bytes = max(actualBytes, Self.minimumCountedBytes)
        let mine = bytesByUploader[uploader, default: 0]
        if mine + bytes > Limits.unreferencedBlobMaxBytesPerUploader {
            return
                "you have \(mine) bytes of blobs that no report points to yet (limit \(Limits.unreferencedBlobMaxBytesPerUploader)); submit them or wait for them to be collected"
        }
        if totalBytes + bytes > Limits.unreferencedBlobMaxBytes {
            return "this node holds \(totalBytes) bytes of blobs that no report points to yet; retry later"
        }
        return nil
    }

    /// Every blob counts at least this much, so many tiny blobs cannot grow the table.
    static let minimumCountedBytes = 4_096

    mutating func record(_ address: Hash256, uploader: IdentityID?, bytes actualBytes: Int, at milliseconds: UInt64) {
        guard uploads[address] == nil else { return }  // same bytes again: content-addressed
        let bytes = max(actualBytes, Self.minimumCountedBytes)
        uploads[address] = Upload(uploader: uploader, bytes: bytes, uploadedAtMilliseconds: milliseconds)
        totalBytes += bytes
        if let uploader { bytesByUploader[uploader, default: 0] += bytes }
        precondition(totalBytes >= 0)
    }

    /// A committed report points to `address`: it is no longer counted or collectable.
    mutating func referenced(_ address: Hash256) {
        guard let upload = uploads.removeValue(forKey: address) else { return }
        totalBytes -= upload.bytes
        if let uploader = upload.uploader {
            let left = bytesByUploader[uploader, default: 0] - upload.bytes
            bytesByUploader[uploader] = left > 0 ? left : nil
        }
        precondition(totalBytes >= 0, "quota never goes negative")
    }

    /// Addresses uploaded before `cutoff` and still unreferenced, in address order.
    func expired(before cutoffMilliseconds: UInt64) -> [Hash256] {
        uploads.filter { $0.value.uploadedAtMilliseconds < cutoffMilliseconds }.keys.sorted()
    }
}
