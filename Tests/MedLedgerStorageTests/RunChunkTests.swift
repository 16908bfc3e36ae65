import Testing

@testable import MedLedgerStorage

/// A run index row's keys (`RunChunk`): encoded and decoded unchanged, split to fit a row on
/// its page, damaged bytes refused, and sorted lists merged in order.
@Suite struct RunChunkTests {
    @Test func keysOfEveryLengthClassComeBackUnchanged() throws {
        // Lengths whose LEB128 prefix takes one, two and three bytes, at their edges.
        let keys: [[UInt8]] = [0, 1, 127, 128, 16_383, 16_384, 70_000].map { length in
            (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ length) }
        }
        let encoded = RunChunk.encode(keys[...])
        #expect(encoded.count == keys.reduce(0) { $0 + RunChunk.encodedSize($1) })
        #expect(RunChunk.decode(encoded) == keys)
        #expect(RunChunk.decode([]) == [])
    }

    @Test func damagedBytesAreRefused() {
        let encoded = RunChunk.encode([[1, 2, 3], [4, 5]][...])
        #expect(RunChunk.decode(Array(encoded.dropLast())) == nil, "a key cut short")
        #expect(RunChunk.decode([0x80]) == nil, "a length cut short")
        #expect(RunChunk.decode([0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0x01]) == nil, "a length of six bytes")
        #expect(RunChunk.decode([0x05, 1, 2]) == nil, "a length past the end")
    }

    @Test func chunksFitTheirBytesAndKeepEveryKeyInOrder() {
        let keys: [[UInt8]] = (0..<500).map { index in
            (0..<(40 + index % 30)).map { UInt8(truncatingIfNeeded: index >> ($0 % 2 == 0 ? 8 : 0)) }
        }
        let huge = [UInt8](repeating: 0xEE, count: 2 * RunChunk.maximumBytes)
        let chunks = RunChunk.split((keys + [huge])[...])
        #expect(Array(chunks.joined()) == keys + [huge])
        for chunk in chunks {
            let bytes = RunChunk.encode(chunk).count
            #expect(!chunk.isEmpty && (bytes <= RunChunk.maximumBytes || chunk.count == 1), "\(chunk.count) keys")
        }
        #expect(chunks.last == [huge][...], "a key longer than a chunk gets one of its own")
        #expect(chunks.count < keys.count / 10, "a chunk holds more than ten keys of 40 to 70 bytes")
        #expect(RunChunk.split([][...]).isEmpty)
    }

    @Test func sortedListsMergeIntoOneSortedList() {
        var state: UInt64 = 99
        func next() -> UInt8 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return UInt8(truncatingIfNeeded: state >> 40)
        }
        let lists: [[[UInt8]]] = (0..<7).map { list in
            Set((0..<(list * 13)).map { _ in [next(), next(), UInt8(list)] }).sorted {
                $0.lexicographicallyPrecedes($1)
            }
        }
        let merged = RunChunk.merge(lists)
        #expect(merged == lists.flatMap { $0 }.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(RunChunk.merge([]) == [])
    }
}
