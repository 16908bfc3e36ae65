import Testing
import MedLedgerCore

@Suite struct HexTests {
    @Test func encodesLowerCase() {
        #expect(Hex.encode([UInt8]()) == "")
        #expect(Hex.encode([0x00, 0x0f, 0xa0, 0xff]) == "000fa0ff")
        #expect(Hex.encode(Array(0...255)).count == 512)
    }

    @Test func decodesEitherCase() {
        #expect(Hex.decode("") == [])
        #expect(Hex.decode("000fa0ff") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("000FA0FF") == [0x00, 0x0f, 0xa0, 0xff])
        #expect(Hex.decode("aB") == [0xab])
    }

    @Test(arguments: ["0", "abc", "0g", "g0", "zz", " 00", "00 ", "0x00", "é0", "+1"])
    func rejectsInvalidText(text: String) {
        #expect(Hex.decode(text) == nil)
    }

    @Test func roundTripsEveryByte() {
        let all = [UInt8](0...255)
        #expect(Hex.decode(Hex.encode(all)) == all)
        #expect(Hex.decode(Hex.encode(all).uppercased()) == all)
    }

    @Test func typedParsersCheckLength() {
        let hash = T.hash("x")
        #expect(Hash256(hex: hash.hex) == hash)
        #expect(Hash256(hex: hash.hex.uppercased()) == hash)
        #expect(Hash256(hex: String(hash.hex.dropLast(2))) == nil)
        #expect(Hash256(hex: hash.hex + "00") == nil)
        #expect(Hash256(bytes: [1, 2]) == nil)
        #expect(ReportID(hex: "00112233445566778899aabbccddeeff")?.hex == "00112233445566778899aabbccddeeff")
        #expect(ReportID(hex: "0011") == nil)
        #expect(GrantID(bytes: [UInt8](repeating: 0, count: 17)) == nil)
        #expect(IdentityID(hex: hash.hex)?.hash == hash)
        #expect(IdentityID(hex: "zz") == nil)
        let keys = T.keys("hex")
        #expect(PublicSigningKey(hex: keys.publicSigningKey.hex) == keys.publicSigningKey)
        #expect(PublicSigningKey(hex: "00") == nil)
        #expect(PublicEncryptionKey(hex: keys.publicEncryptionKey.hex) == keys.publicEncryptionKey)
        #expect(Signature(rawBytes: [0]) == nil)
        #expect(Hash256.zero.hex == String(repeating: "0", count: 64))
    }

    @Test func hashOrderingIsBytewise() {
        let low = Hash256(hex: "00" + String(repeating: "ff", count: 31))!
        let high = Hash256(hex: "01" + String(repeating: "00", count: 31))!
        #expect(low < high)
        #expect(T.id(1) < T.id(2))
    }
}

/// Heights and rounds from the wire can be any value: comparing them must not trap (an
/// earlier `Strideable` conformance compared through a signed distance and trapped above
/// 2^63; found by FuzzPeerMessage).
@Suite struct CountingNumberTests {
    @Test func extremeHeightsAndRoundsCompareWithoutTrapping() {
        #expect(Height(.max) != Height(1))
        #expect(Height(.max) > Height(0))
        #expect(Round(.max) != Round(0))
        #expect(Round(.max) > Round(1))
        #expect(Nonce.max.next == .max)
        #expect(Nonce(3).distance(above: Nonce(.max)) == 0)
    }
}
