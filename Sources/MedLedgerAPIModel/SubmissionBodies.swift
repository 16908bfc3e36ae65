/// The body of `POST /v1/transactions`.
public struct SubmitTransactionBody: Codable, Sendable {
    /// Base64 of the transaction's canonical bytes.
    public let transaction: String
    public init(transaction: String) { self.transaction = transaction }
}

/// The body of `POST /v1/transaction-batches`.
public struct SubmitBatchBody: Codable, Sendable {
    /// Base64 of each transaction's canonical bytes.
    public let transactions: [String]
    public init(transactions: [String]) { self.transactions = transactions }
}

/// One transaction's outcome in a batch: its hash and `pending`, or a problem naming it.
public struct BatchOutcomeView: Codable, Sendable {
    public let index: Int
    public let hash: String?
    public let status: String
    public let httpStatus: Int
    public let detail: String?
    public let code: Int?
    public init(index: Int, hash: String?, status: String, httpStatus: Int, detail: String?, code: Int?) {
        self.index = index
        self.hash = hash
        self.status = status
        self.httpStatus = httpStatus
        self.detail = detail
        self.code = code
    }
}

/// The answer to `POST /v1/transaction-batches`: one outcome per transaction, in order.
public struct BatchResultView: Codable, Sendable {
    public let results: [BatchOutcomeView]
    public init(results: [BatchOutcomeView]) { self.results = results }
}
