/// A request the node refused or could not serve. `field` names the part of the input at
/// fault when there is one; the API maps `kind` to an HTTP status.
public struct NodeError: Error, CustomStringConvertible, Sendable {
    public enum Kind: Sendable {
        /// The input is malformed or breaks a limit (400).
        case invalid
        /// The caller is not known or not authenticated (401).
        case unauthenticated
        /// The caller may not do this (403).
        case forbidden
        /// No such thing (404).
        case notFound
        /// The request conflicts with ledger state, e.g. a stale nonce (409).
        case conflict
        /// Too much pending work (503).
        case unavailable
        /// The node's own storage failed (500).
        case internalFailure
    }

    public let kind: Kind
    public let field: String?
    public let message: String
    public let code: ResultCode?

    public init(_ kind: Kind, field: String? = nil, _ message: String, code: ResultCode? = nil) {
        self.kind = kind
        self.field = field
        self.message = message
        self.code = code
    }

    public var description: String { field.map { "\($0): \(message)" } ?? message }
}

extension NodeError {
    /// What a transaction whose signature does not verify gets, wherever it is checked.
    public static let badSignature = NodeError(
        .invalid, field: "tx.signature", "signature does not verify",
        code: .badSignature)
}
