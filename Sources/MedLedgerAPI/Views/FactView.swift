import MedLedgerCore

/// A receipt fact as JSON: `{"type": "lastNonce", "value": 7}`. `value` is a number for
/// nonces, versions and limits, and a string otherwise (hex ids, enum names, ISO 8601 time).
struct FactView: Encodable {
    let type: String
    let value: ReceiptFactValue

    init(_ fact: ReceiptFact) {
        type = fact.name
        value = fact.value
    }

    private enum CodingKeys: String, CodingKey { case type, value }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch value {
        case .number(let number): try container.encode(number, forKey: .value)
        case .text(let text): try container.encode(text, forKey: .value)
        }
    }
}
