import Foundation
import MedLedgerCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

extension FileBlobStore {
    /// Up to `maxBytes` of the blob at `address` starting at `offset`, with the stored file's
    /// size; nil when it is not stored. Serves replication one chunk at a time without
    /// reading the whole blob per chunk; the content is not checked here (the receiver checks
    /// the whole blob against its address, and `verify` checks stored ones).
    /// - Throws: `StorageError` `.io` when reading fails, `.invalidState` for an offset past the end.
    public func read(_ address: Hash256, offset: Int, maxBytes: Int) throws -> (bytes: [UInt8], totalBytes: Int)? {
        precondition(offset >= 0 && maxBytes > 0, "a range inside a blob")
        let filePath = path(for: address)
        let descriptor = open(filePath, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw StorageError(.io, "open \(filePath): errno \(errno)")
        }
        defer { close(descriptor) }
        var status = stat()
        guard fstat(descriptor, &status) == 0 else { throw StorageError(.io, "stat \(filePath): errno \(errno)") }
        let total = Int(status.st_size)
        guard total <= Limits.blobMaxBytes else {
            throw StorageError(.corruptData, "blob \(address.hex): \(total) bytes exceeds \(Limits.blobMaxBytes)")
        }
        guard offset <= total else {
            throw StorageError(.invalidState, "blob \(address.hex): offset \(offset) is past its \(total) bytes")
        }
        let count = min(maxBytes, total - offset)
        var bytes = [UInt8](repeating: 0, count: count)
        var filled = 0
        while filled < count {
            let got = bytes.withUnsafeMutableBytes {
                pread(descriptor, $0.baseAddress! + filled, count - filled, off_t(offset + filled))
            }
            if got < 0, errno == EINTR { continue }
            guard got > 0 else { throw StorageError(.io, "read \(filePath) at \(offset + filled): errno \(errno)") }
            filled += got
        }
        return (bytes, total)
    }
}
