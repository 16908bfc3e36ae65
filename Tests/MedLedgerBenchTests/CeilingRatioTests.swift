import Testing

@testable import MedLedgerBench

/// The ratio's ceiling brackets the load: the mean of the idle figures before and after it,
/// and the one before alone when the nodes were still busy after it.
@Suite struct CeilingRatioTests {
    static func ceiling(perCore: Double, idle: Bool) -> Ceiling {
        Ceiling(verificationsPerSecondPerCore: perCore, cores: 2, validators: 4, othersBusyCores: 0, nodesIdle: idle)
    }

    static func result(before: Ceiling, after: Ceiling) -> LoadGenerator.Result {
        LoadGenerator.Result(
            submitted: 3_000, committed: 3_000, rejected: 0, txPerSecond: 3_000, p50Milliseconds: 1,
            p99Milliseconds: 2, ceiling: before, ceilingAfter: after)
    }

    @Test func bothIdleFiguresAreAveraged() {
        // 12,000 and 8,000 verifications/s per core: 6,000 and 4,000 tx/s, mean 5,000.
        let result = Self.result(
            before: Self.ceiling(perCore: 12_000, idle: true), after: Self.ceiling(perCore: 8_000, idle: true))
        #expect(result.ceilingBracketsLoad)
        #expect(result.ceilingTxPerSecond == 5_000)
        #expect(result.ratio == 0.6)
        #expect(result.resultLine.contains(" ceiling_tx_per_s=5000.0 ratio=0.600 "))
        #expect(result.resultLine.hasSuffix(" ceiling_after_tx_per_s=4000.0 ceiling_before_tx_per_s=6000.0"))
        #expect(result.summaryLines.contains { $0.contains("(the mean of before and after) = 0.600") })
    }

    @Test func aBusyAfterFigureIsLeftOut() {
        let result = Self.result(
            before: Self.ceiling(perCore: 12_000, idle: true), after: Self.ceiling(perCore: 4_000, idle: false))
        #expect(!result.ceilingBracketsLoad)
        #expect(result.ceilingTxPerSecond == 6_000)
        #expect(result.ratio == 0.5)
        #expect(result.summaryLines.contains { $0.contains("before the load only") })
    }

    @Test func aBusyBeforeFigureIsNotAveragedEither() {
        // Not idle before: the ratio keeps the before figure, which says "NOT idle" beside it.
        let result = Self.result(
            before: Self.ceiling(perCore: 12_000, idle: false), after: Self.ceiling(perCore: 8_000, idle: true))
        #expect(!result.ceilingBracketsLoad)
        #expect(result.ceilingTxPerSecond == 6_000)
    }
}
