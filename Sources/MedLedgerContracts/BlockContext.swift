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

/// A transaction's rejection inside a handler: becomes the receipt's code and facts (never a
/// sentence; `ReceiptText` renders one at the edge).
public struct Rejection: Error {
    public let code: ResultCode
    public let facts: [ReceiptFact]
    /// Events recorded even though the action was refused (a denied read).
    public let events: [LedgerEvent]
    init(_ code: ResultCode, _ facts: ReceiptFact..., events: [LedgerEvent] = []) {
        precondition(code != .ok, "a rejection needs a non-zero code")
        self.code = code
        self.facts = facts
        self.events = events
    }

    /// 401 invalid-field: `field` broke `problem`; `more` names what it is about.
    static func invalid(_ field: ReceiptField, _ problem: FieldProblem, _ more: ReceiptFact...) -> Rejection {
        Rejection(code: .invalidField, facts: [.field(field), .problem(problem)] + more)
    }

    /// 302 unknown-identity: `field` names `id`, which is not registered as one of `kinds`.
    static func unregistered(_ field: ReceiptField, _ id: IdentityID, expecting kinds: IdentityKind...) -> Rejection {
        Rejection(code: .unknownIdentity, facts: [.field(field), .identity(id)] + kinds.map { .kind($0) })
    }

    private init(code: ResultCode, facts: [ReceiptFact]) {
        self.code = code
        self.facts = facts
        self.events = []
    }

    /// The receipt this rejection becomes.
    var receipt: TransactionReceipt { .rejected(code, facts, events: events) }
}
