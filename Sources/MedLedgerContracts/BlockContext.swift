import MedLedgerCore

/// What the contracts know about the block being executed. `time` is the block's consensus
/// time: the only clock the contracts ever read.
public struct BlockContext: Sendable {
    public let height: Height
    public let time: ConsensusTime
    public init(height: Height, time: ConsensusTime) {
        self.height = height
        self.time = time
    }
}

/// A transaction's rejection inside a handler: becomes the receipt's code and message.
public struct Rejection: Error {
    public let code: ResultCode
    public let message: String
    /// Events recorded even though the action was refused (a denied read).
    public let events: [LedgerEvent]
    init(_ code: ResultCode, _ message: String, events: [LedgerEvent] = []) {
        self.code = code
        self.message = message
        self.events = events
    }
}
