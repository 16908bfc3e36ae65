import MedLedgerCore
import MedLedgerHTTPInterface

extension Components.Schemas.ReceiptFact {
    /// A receipt fact as JSON: `{"type": "lastNonce", "value": 7}`. `value` is a number for
    /// nonces, versions and limits (a decimal string above 2^63 - 1, which only a refused
    /// transaction's own nonce can reach), and a string otherwise (hex ids, enum names,
    /// ISO 8601 time).
    public init(_ fact: ReceiptFact) {
        let value: ValuePayload
        switch fact.value {
        case .number(let number): value = Int(exactly: number).map { .case2($0) } ?? .case1(String(number))
        case .text(let text): value = .case1(text)
        }
        self.init(_type: Self.type(of: fact), value: value)
    }

    /// The document's name for the fact's kind; a switch, so a new kind does not compile
    /// until the document names it.
    static func type(of fact: ReceiptFact) -> _TypePayload {
        switch fact {
        case .field: .field
        case .problem: .problem
        case .identity: .identity
        case .organization: .organization
        case .kind: .kind
        case .role: .role
        case .report: .report
        case .version: .version
        case .latestVersion: .latestVersion
        case .status: .status
        case .grant: .grant
        case .purpose: .purpose
        case .nonce: .nonce
        case .lastNonce: .lastNonce
        case .limit: .limit
        case .time: .time
        case .caseID: ._case
        }
    }
}
