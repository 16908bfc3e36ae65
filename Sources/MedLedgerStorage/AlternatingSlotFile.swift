import Foundation
import MedLedgerCore

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A record rewritten durably many times a second: the validator's signing record and its
/// valid block, which must be on disk before each vote or proposal leaves the node.
///
/// `DurableFile.replace` (a new file, fsync, rename, fsync of the directory) costs two
/// fsyncs and a journal commit of the file system, which waits for every other node's
/// metadata on the same disk: on a loaded testnet a vote's write took 3 to 6 ms at the
/// median and up to 20 ms, three or four times per height, all on consensus's critical
/// path (docs/performance.md, "Votes written in place"). Here the file holds two slots and
/// each write overwrites the older one in place and calls `fdatasync`: no new file, no
/// rename, no change of size, so no metadata to commit.
///
/// Layout: a 16-byte header (`magic`, then the slot size as a big-endian UInt64), then two
/// slots of that size. A slot holds a sequence number (UInt64), the record's length
/// (UInt32), SHA-256 over those twelve bytes and the record, then the record. A crash in
/// the middle of a write leaves that slot failing its checksum and the other slot, with
/// the record before, intact; the newest intact slot is the record. The header is written
/// only when the file is made, or remade with larger slots for a record that does not fit
/// (then by `DurableFile.replace`, so a crash leaves the old file or the new).
public struct AlternatingSlotFile: Sendable {
    public enum Contents: Equatable, Sendable {
        /// No file.
        case absent
        /// A file in this layout; its newest intact record.
        case record([UInt8])
        /// A file of another layout (written before this one existed): its whole content,
        /// for the caller to read the old way. The next write replaces it with this layout.
        case other([UInt8])
    }

    static let magic = Array("MLSLOTS1".utf8)
    static let headerBytes = 16
    static let slotHeaderBytes = 8 + 4 + 32
    static let minimumSlotBytes = 4_096

    public let url: URL
    /// The most a record may hold; a longer one is refused.
    let maxRecordBytes: Int
    /// The newest record's sequence number (0: none in this layout yet).
    private var sequence: UInt64 = 0
    /// The slots' size; 0 until the file is in this layout.
    private var slotBytes = 0
    /// What the file held when opened.
    public let contents: Contents

    /// Opens `url` and reads its newest intact record.
    /// - Throws: `StorageError` `.io` when the file cannot be read, `.corruptData` when it is
    ///   larger than two slots for a `maxRecordBytes` record, or in this layout but with a
    ///   wrong size or neither slot intact.
    public init(url: URL, maxRecordBytes: Int) throws {
        precondition(maxRecordBytes > 0)
        self.url = url
        self.maxRecordBytes = maxRecordBytes
        let largestSlot = Self.slotSize(forRecord: maxRecordBytes)
        guard let bytes = try BlobFiles.readAll(url.path, maxBytes: Self.headerBytes + 2 * largestSlot) else {
            contents = .absent
            return
        }
        guard bytes.count >= Self.headerBytes, Array(bytes[0..<8]) == Self.magic else {
            contents = .other(bytes)
            return
        }
        // Compared as read, before any conversion: a damaged header holds any 64-bit value.
        let declared = Self.read(UInt64.self, bytes, at: 8)
        guard declared >= Self.minimumSlotBytes, declared <= largestSlot,
            bytes.count == Self.headerBytes + 2 * Int(declared)
        else {
            throw StorageError(
                .corruptData, "read \(url.path): slot size \(declared) does not match \(bytes.count) bytes")
        }
        let size = Int(declared)
        let newest = (0..<2).compactMap { Self.intactSlot(bytes, offset: Self.headerBytes + $0 * size, size: size) }
            .max { $0.sequence < $1.sequence }
        guard let newest else {
            throw StorageError(.corruptData, "read \(url.path): neither slot holds an intact record")
        }
        sequence = newest.sequence
        slotBytes = size
        contents = .record(newest.record)
    }

    /// Makes `record` the newest, durably: on return it is on the disk.
    /// - Throws: `StorageError` `.io` naming the step that failed, `.tooLarge` for a record
    ///   over `maxRecordBytes` (nothing is written).
    public mutating func write(_ record: [UInt8]) throws {
        guard record.count <= maxRecordBytes else {
            throw StorageError(
                .tooLarge, "write \(url.path): a record of \(record.count) bytes, over \(maxRecordBytes)")
        }
        let next = sequence + 1
        let slot = Self.slot(sequence: next, record: record)
        if slotBytes > 0, slot.count <= slotBytes {
            try overwrite(slot, at: Self.headerBytes + Int(next % 2) * slotBytes)
        } else {
            let size = max(slotBytes, Self.slotSize(forRecord: record.count))
            var file = Self.magic
            file.append(contentsOf: Self.bigEndian(UInt64(size)))
            file.append(contentsOf: [UInt8](repeating: 0, count: 2 * size))
            let offset = Self.headerBytes + Int(next % 2) * size
            file.replaceSubrange(offset..<offset + slot.count, with: slot)
            try DurableFile.replace(url, with: file)
            slotBytes = size
        }
        sequence = next
    }

    private func overwrite(_ bytes: [UInt8], at offset: Int) throws {
        let path = url.path
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw BlobFiles.failure("open", path) }
        defer { close(descriptor) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                pwrite(descriptor, buffer.baseAddress! + written, buffer.count - written, off_t(offset + written))
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw BlobFiles.failure("write", path)
            }
            written += count
        }
        guard fdatasync(descriptor) == 0 else { throw BlobFiles.failure("fdatasync", path) }
    }

    /// The smallest power of two (at least `minimumSlotBytes`) that holds a record this long.
    static func slotSize(forRecord count: Int) -> Int {
        var size = minimumSlotBytes
        while size < slotHeaderBytes + count { size *= 2 }
        return size
    }

    static func slot(sequence: UInt64, record: [UInt8]) -> [UInt8] {
        var covered = bigEndian(sequence)
        covered.append(contentsOf: bigEndian(UInt32(record.count)))
        var slot = covered
        covered.append(contentsOf: record)
        slot.append(contentsOf: Hash256.of(covered).bytes)
        slot.append(contentsOf: record)
        return slot
    }

    static func intactSlot(_ bytes: [UInt8], offset: Int, size: Int) -> (sequence: UInt64, record: [UInt8])? {
        let sequence = read(UInt64.self, bytes, at: offset)
        let length = Int(read(UInt32.self, bytes, at: offset + 8))
        guard sequence > 0, length <= size - slotHeaderBytes else { return nil }
        let recordStart = offset + slotHeaderBytes
        var covered = Array(bytes[offset..<offset + 12])
        covered.append(contentsOf: bytes[recordStart..<recordStart + length])
        guard Hash256.of(covered).bytes == Array(bytes[offset + 12..<offset + 44]) else { return nil }
        return (sequence, Array(bytes[recordStart..<recordStart + length]))
    }

    static func read<T: FixedWidthInteger>(_: T.Type, _ bytes: [UInt8], at offset: Int) -> T {
        bytes[offset..<offset + MemoryLayout<T>.size].reduce(0) { $0 << 8 | T($1) }
    }

    static func bigEndian<T: FixedWidthInteger>(_ value: T) -> [UInt8] {
        withUnsafeBytes(of: value.bigEndian) { Array($0) }
    }
}
