import Foundation
import MedLedgerCore

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
        var header = CanonicalDecoder(Array(bytes[8..<Self.headerBytes]))
        let declared = try header.readUInt64("slot size")
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
            try BlobFiles.overwriteAndSyncData(slot, at: Self.headerBytes + Int(next % 2) * slotBytes, in: url.path)
        } else {
            let size = max(slotBytes, Self.slotSize(forRecord: record.count))
            var file = CanonicalEncoder(capacity: Self.headerBytes + 2 * size)
            file.write(fixed: Self.magic)
            file.write(UInt64(size))
            file.write(fixed: [UInt8](repeating: 0, count: 2 * size))
            var bytes = file.bytes
            let offset = Self.headerBytes + Int(next % 2) * size
            bytes.replaceSubrange(offset..<offset + slot.count, with: slot)
            try DurableFile.replace(url, with: bytes)
            slotBytes = size
        }
        sequence = next
    }

    /// The smallest power of two (at least `minimumSlotBytes`) that holds a record this long.
    static func slotSize(forRecord count: Int) -> Int {
        var size = minimumSlotBytes
        while size < slotHeaderBytes + count { size *= 2 }
        return size
    }

    static func slot(sequence: UInt64, record: [UInt8]) -> [UInt8] {
        var fields = CanonicalEncoder(capacity: 12)
        fields.write(sequence)
        fields.write(UInt32(record.count))
        var slot = CanonicalEncoder(capacity: slotHeaderBytes + record.count)
        slot.write(fixed: fields.bytes)
        slot.write(fixed: Hash256.of(parts: [fields.bytes, record]).bytes)
        slot.write(fixed: record)
        return slot.bytes
    }

    /// The slot's record if its checksum holds, else nil (never written, or torn by a crash).
    static func intactSlot(_ bytes: [UInt8], offset: Int, size: Int) -> (sequence: UInt64, record: [UInt8])? {
        let fields = Array(bytes[offset..<offset + 12])
        var header = CanonicalDecoder(Array(bytes[offset..<offset + slotHeaderBytes]))
        guard let sequence = try? header.readUInt64("sequence"), let length = try? header.readUInt32("length"),
            let checksum = try? header.readFixed("checksum", count: 32),
            sequence > 0, Int(length) <= size - slotHeaderBytes
        else { return nil }
        let recordStart = offset + slotHeaderBytes
        let record = Array(bytes[recordStart..<recordStart + Int(length)])
        guard Hash256.of(parts: [fields, record]).bytes == checksum else { return nil }
        return (sequence, record)
    }
}
