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
        // Every fact name is in the document's enum; ReceiptFactTests walks them all.
        self.init(_type: _TypePayload(rawValue: fact.name) ?? .problem, value: value)
    }
}
