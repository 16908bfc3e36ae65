import MedLedgerCore

/// A receipt fact as JSON: `{"type": "lastNonce", "value": 7}`. `value` is a number for
/// nonces, versions and limits, and a string otherwise (hex ids, enum names, ISO 8601 time).
public struct FactView: Codable, Sendable {
    public let type: String
    public let value: ReceiptFactValue

    public init(_ fact: ReceiptFact) {
        type = fact.name
        value = fact.value
    }

    private enum CodingKeys: String, CodingKey { case type, value }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        type = try container.decode(String.self, forKey: .type)
        if let number = try? container.decode(UInt64.self, forKey: .value) {
            value = .number(number)
        } else {
            value = .text(try container.decode(String.self, forKey: .value))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(type, forKey: .type)
        switch value {
        case .number(let number): try container.encode(number, forKey: .value)
        case .text(let text): try container.encode(text, forKey: .value)
        }
    }
}
