import MedLedgerCore

/// The outcome of one simulation run.
public struct SimulationResult: Sendable, CustomStringConvertible {
    public let seed: UInt64
    public let validators: Int
    public let profile: String
    public let heights: Int
    /// The first invariant violated (agreement, certificate, app state, liveness ...), or nil.
    public let failure: String?
    /// Lowest committed height among honest validators at the end.
    public let committedHeight: Int
    public let virtualMilliseconds: UInt64
    public let steps: Int
    public let statistics: SimulationStatistics

    public var passed: Bool { failure == nil }

    /// The one command that replays this run.
    public var replayCommand: String {
        "swift run medledger simulate --seed \(seed) --validators \(validators) --faults \(profile) --heights \(heights)"
    }

    /// Replays this run in the test suite.
    public var testReplayCommand: String {
        "MEDLEDGER_SIM_SEED=\(seed) MEDLEDGER_SIM_FAULTS=\(profile) swift test --filter SimulationTests"
    }

    public var description: String {
        let outcome = failure.map { "FAILED: \($0)" } ?? "ok"
        var text = "simulation seed=\(seed) validators=\(validators) faults=\(profile) heights=\(heights): \(outcome)\n"
        text += "  committed height \(committedHeight), virtual time \(virtualMilliseconds) ms, \(steps) steps\n"
        text += "  \(statistics)"
        if failure != nil { text += "\n  replay: \(replayCommand)\n  or:     \(testReplayCommand)" }
        return text
    }
}

/// Counters of what happened in a run.
public struct SimulationStatistics: Sendable, CustomStringConvertible {
    public var messagesSent = 0
    public var messagesDelivered = 0
    public var messagesLost = 0
    public var messagesDuplicated = 0
    public var badSignaturesDropped = 0
    /// Proposals and votes for heights their receiver had committed, dropped unchecked.
    public var staleMessagesDropped = 0
    public var equivocationReports = 0
    public var signaturesRefused = 0
    public var crashes = 0
    public var blocksSynced = 0
    public var transactionsSubmitted = 0
    public var transactionsCommitted = 0
    public var maxRound: Round = 0

    public var description: String {
        "sent \(messagesSent), delivered \(messagesDelivered), lost \(messagesLost), duplicated \(messagesDuplicated), "
            + "bad signatures dropped \(badSignaturesDropped), stale messages dropped \(staleMessagesDropped), "
            + "equivocation reports \(equivocationReports), "
            + "signatures refused \(signaturesRefused), crashes \(crashes), blocks synced \(blocksSynced), "
            + "transactions submitted \(transactionsSubmitted), committed \(transactionsCommitted), max round \(maxRound)"
    }
}
