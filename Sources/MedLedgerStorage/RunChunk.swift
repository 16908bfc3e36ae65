/// A run index row's keys: consecutive keys of one run, in order. The row's `first` column
/// holds the first key and its `keys` column the others, encoded as one blob.
///
/// Why chunks and not one row per key: a merge used to move each key as a row of its own,
/// a B-tree insert into the destination and a delete from the source, and a block's run was
/// written a row per key (`docs/performance.md`). A chunk of about twenty keys costs one
/// such insert and delete, and the merge itself is done in Swift over sorted arrays.
///
/// A chunk's keys take at most `maximumBytes` encoded (one key more when the chunk would
/// otherwise be empty), so that a row stays on its B-tree page: SQLite moves the part of an
/// index row past 1,002 bytes of a 4 KiB page to an overflow page of its own. Four such
/// rows fill a page.
///
/// Encoding of the `keys` blob: each key as its length (LEB128, at most five bytes) then
/// its bytes.
enum RunChunk {
    /// Encoded bytes of a chunk's keys, at most, unless its one key alone is longer: with
    /// the row's run and record header, under SQLite's 1,002 bytes for a row on its page.
    static let maximumBytes = 960

    /// The encoded size of `key`.
    static func encodedSize(_ key: [UInt8]) -> Int { lengthSize(key.count) + key.count }

    private static func lengthSize(_ length: Int) -> Int {
        var size = 1
        var rest = length >> 7
        while rest > 0 {
            size += 1
            rest >>= 7
        }
        return size
    }

    /// Splits sorted keys into chunks: as many keys as fit `maximumBytes`, at least one each.
    static func split(_ keys: ArraySlice<[UInt8]>) -> [ArraySlice<[UInt8]>] {
        var chunks: [ArraySlice<[UInt8]>] = []
        var start = keys.startIndex
        var bytes = 0
        for index in keys.indices {
            let size = encodedSize(keys[index])
            if index > start && bytes + size > maximumBytes {
                chunks.append(keys[start..<index])
                start = index
                bytes = 0
            }
            bytes += size
        }
        if start < keys.endIndex { chunks.append(keys[start..<keys.endIndex]) }
        return chunks
    }

    static func encode(_ keys: ArraySlice<[UInt8]>) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(keys.reduce(0) { $0 + encodedSize($1) })
        for key in keys {
            var length = key.count
            while length >= 0x80 {
                bytes.append(UInt8(truncatingIfNeeded: length) | 0x80)
                length >>= 7
            }
            bytes.append(UInt8(length))
            bytes.append(contentsOf: key)
        }
        return bytes
    }

    /// The keys of an encoded chunk; nil when the bytes are not one (a length that runs
    /// past the end or takes more than five bytes).
    static func decode(_ bytes: [UInt8]) -> [[UInt8]]? {
        var keys: [[UInt8]] = []
        var offset = 0
        while offset < bytes.count {
            var length = 0
            var shift = 0
            while true {
                guard offset < bytes.count, shift < 35 else { return nil }
                let byte = bytes[offset]
                offset += 1
                length |= Int(byte & 0x7F) << shift
                shift += 7
                if byte < 0x80 { break }
            }
            guard length <= bytes.count - offset else { return nil }
            keys.append(Array(bytes[offset..<offset + length]))
            offset += length
        }
        return keys
    }

    /// Sorted lists merged into one sorted list, pairwise (about n log k comparisons).
    static func merge(_ lists: [[[UInt8]]]) -> [[UInt8]] {
        var lists = lists.filter { !$0.isEmpty }
        while lists.count > 1 {
            var next: [[[UInt8]]] = []
            next.reserveCapacity((lists.count + 1) / 2)
            var index = 0
            while index + 1 < lists.count {
                next.append(mergeTwo(lists[index], lists[index + 1]))
                index += 2
            }
            if index < lists.count { next.append(lists[index]) }
            lists = next
        }
        return lists.first ?? []
    }

    private static func mergeTwo(_ a: [[UInt8]], _ b: [[UInt8]]) -> [[UInt8]] {
        var merged: [[UInt8]] = []
        merged.reserveCapacity(a.count + b.count)
        var (i, j) = (0, 0)
        while i < a.count && j < b.count {
            if b[j].lexicographicallyPrecedes(a[i]) {
                merged.append(b[j])
                j += 1
            } else {
                merged.append(a[i])
                i += 1
            }
        }
        merged.append(contentsOf: a[i...])
        merged.append(contentsOf: b[j...])
        return merged
    }
}
