import Testing
import MedLedgerCore

/// Issue 7.5: every limit lives in `Limits`, and the limits are checked against each other.
@Suite struct LimitsTests {
    @Test func everyLimitFitsTheOthers() {
        Limits.checkConsistency()
    }

    @Test func theLargestValuesFitWhereTheyTravel() {
        // A block body at the limit, plus header and proposal, inside one peer frame.
        #expect(Limits.blockMaxBytes + Limits.blockHeaderMaxBytes < Limits.peerFramePayloadMaxBytes)
        // The largest transaction inside an HTTP body (base64 grows it by 4/3).
        #expect(Limits.transactionMaxBytes * 4 / 3 + 64 <= Limits.httpBodyMaxBytes)
    }
}
