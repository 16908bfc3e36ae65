import MedLedgerCore
import Testing

/// `Hash256`'s `==` and `<` compare 8-byte words; they must agree with the bytes compared one
/// by one, whichever byte differs.
@Suite struct Hash256OrderTests {
    /// Every position and several values of the byte that differs, on top of a few bases.
    @Test func wordComparisonsAgreeWithByteOrder() {
        let bases: [[UInt8]] = [
            [UInt8](repeating: 0, count: 32), [UInt8](repeating: 0xff, count: 32),
            (0..<32).map { UInt8($0 * 7 + 3) }, Hash256.of([1, 2, 3]).bytes,
        ]
        var pairs = 0
        for base in bases {
            for position in 0..<32 {
                for value: UInt8 in [0x00, 0x01, 0x7f, 0x80, 0xfe, 0xff] {
                    var other = base
                    other[position] = value
                    let (left, right) = (Hash256(bytes: base)!, Hash256(bytes: other)!)
                    #expect((left == right) == (base == other))
                    #expect((left < right) == base.lexicographicallyPrecedes(other))
                    #expect((right < left) == other.lexicographicallyPrecedes(base))
                    pairs += 1
                }
            }
        }
        #expect(pairs == 4 * 32 * 6)
    }

    /// A later byte decides only when every earlier one is equal.
    @Test func theFirstDifferingByteDecides() {
        var low = [UInt8](repeating: 0, count: 32)
        var high = low
        low[31] = 0xff
        high[0] = 0x01
        #expect(Hash256(bytes: low)! < Hash256(bytes: high)!)
        #expect(!(Hash256(bytes: high)! < Hash256(bytes: low)!))
        #expect(Hash256(bytes: low)! != Hash256(bytes: high)!)
    }

    /// Equal digests built from separate arrays hash alike, so sets and dictionaries find
    /// them; digests differing in one byte of any word do not collide as keys.
    @Test func equalDigestsFromSeparateBuffersAreOneKey() {
        let bytes = (0..<32).map { UInt8($0) }
        let copy = Array(bytes.reversed().reversed())
        #expect(Hash256(bytes: bytes)!.hashValue == Hash256(bytes: copy)!.hashValue)
        var keys: Set<Hash256> = [Hash256(bytes: bytes)!]
        for position in [0, 8, 16, 24, 31] {
            var other = bytes
            other[position] ^= 0x80
            keys.insert(Hash256(bytes: other)!)
        }
        #expect(keys.count == 6)
        #expect(keys.contains(Hash256(bytes: copy)!))
    }
}
