import Testing
import MedLedgerCore

@Suite struct ISO8601Tests {
    static let known: [(UInt64, String)] = [
        (0, "1970-01-01T00:00:00.000Z"),
        (1, "1970-01-01T00:00:00.001Z"),
        (951_782_400_000, "2000-02-29T00:00:00.000Z"),
        (1_000_000_000_000, "2001-09-09T01:46:40.000Z"),
        (1_709_208_000_000, "2024-02-29T12:00:00.000Z"),
        (1_767_225_600_000, "2026-01-01T00:00:00.000Z"),
        (1_795_255_200_000, "2026-11-21T10:00:00.000Z"),
        (1_795_255_200_999, "2026-11-21T10:00:00.999Z"),
        (4_102_444_800_000, "2100-01-01T00:00:00.000Z"),
        (253_402_300_799_999, "9999-12-31T23:59:59.999Z"),
    ]

    @Test(arguments: known)
    func formatsKnownDates(milliseconds: UInt64, text: String) {
        #expect(ISO8601.format(milliseconds: milliseconds) == text)
        #expect(ConsensusTime(milliseconds: milliseconds).description == text)
    }

    @Test(arguments: known)
    func parsesKnownDates(milliseconds: UInt64, text: String) {
        #expect(ISO8601.parse(text) == milliseconds)
    }

    @Test func parsesShorterForms() {
        #expect(ISO8601.parse("2026-11-21T10:00:00Z") == 1_795_255_200_000)
        #expect(ISO8601.parse("2026-01-01") == 1_767_225_600_000)
        #expect(ISO8601.parse("1970-01-01") == 0)
    }

    @Test func roundTripsAcrossTheRange() {
        var value: UInt64 = 0
        var step: UInt64 = 1
        while value < 253_402_300_800_000 {
            let text = ISO8601.format(milliseconds: value)
            #expect(ISO8601.parse(text) == value, "\(value) -> \(text)")
            value += step
            step = step * 3 + 7_777
        }
        // Every day boundary of a leap year and around month ends.
        for day in 0..<(366 * 2) {
            let ms = 1_704_067_200_000 + UInt64(day) * 86_400_000 + 86_399_999  // from 2024-01-01
            #expect(ISO8601.parse(ISO8601.format(milliseconds: ms)) == ms)
        }
    }

    @Test(arguments: [
        "", "2026", "2026-01", "2026-1-01", "2026-01-1", "abcd-01-01", "2026/01/01",
        "2026-00-10", "2026-13-01", "2026-01-00", "2026-01-32", "1969-12-31",
        "2026-01-01T24:00:00Z", "2026-01-01T10:60:00Z", "2026-01-01T10:00:60Z",
        "2026-01-01T10:00:00", "2026-01-01T10:00:00.000", "2026-01-01T10:00:00.00Z",
        "2026-01-01T10:00:00.0000Z", "2026-01-01T10:00:00+01:00", "2026-01-01 10:00:00Z",
        "2026-01-01T10:00Z", "2026-01-01t10:00:00z", "2026-01-01T1a:00:00Z", "2026-01-01X",
        " 2026-01-01", "2026-01-01T10:00:00.000ZZ",
    ])
    func rejectsMalformedText(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    /// A calendar date that does not exist must not parse: otherwise "2026-02-30" is read as
    /// 2026-03-02 and format(parse(x)) != x, so two spellings name one instant.
    @Test(
        arguments: [
            "2026-02-29", "2026-02-30", "2026-02-31", "2026-04-31", "2026-06-31", "2026-09-31",
            "2026-11-31", "1900-02-29", "2100-02-29T00:00:00Z",
        ])
    func rejectsDaysThatDoNotExist(text: String) {
        #expect(ISO8601.parse(text) == nil)
    }

    @Test func acceptsDaysThatDoExist() {
        for text in ["2024-02-29", "2000-02-29", "2026-01-31", "2026-03-31", "2026-04-30", "2026-12-31"] {
            let ms = ISO8601.parse(text)
            #expect(ms != nil, "\(text)")
            if let ms { #expect(ISO8601.format(milliseconds: ms).hasPrefix(text)) }
        }
    }

    @Test func consensusTimeOrdersAndAdds() {
        let a = ConsensusTime(milliseconds: 5)
        #expect(a < a.adding(milliseconds: 1))
        #expect(a.adding(milliseconds: 10).milliseconds == 15)
    }
}
