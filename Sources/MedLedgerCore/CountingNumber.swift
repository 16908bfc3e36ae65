/// A number with a meaning of its own (a nonce, a report version): its own type, so one is
/// never passed where another, or a bare count, is meant. It keeps the raw integer's order,
/// literals, text and JSON (a plain number), and its canonical encoding (see
/// `Primitives+Canonical`), so wrapping a number changes no byte on the wire.
public protocol CountingNumber: RawRepresentable, Hashable, Comparable, Sendable, CustomStringConvertible,
    ExpressibleByIntegerLiteral, Codable
where RawValue: FixedWidthInteger & UnsignedInteger & Codable & Sendable, IntegerLiteralType == RawValue {
    init(rawValue: RawValue)
    /// What canonical decoding errors call a value of this type ("height", "nonce", ...).
    static var fieldName: String { get }
}

extension CountingNumber {
    public init(_ rawValue: RawValue) { self.init(rawValue: rawValue) }
    public init(integerLiteral value: RawValue) { self.init(rawValue: value) }
    public init(from decoder: any Decoder) throws {
        self.init(rawValue: try decoder.singleValueContainer().decode(RawValue.self))
    }
    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        try container.encode(rawValue)
    }
    public var description: String { String(rawValue) }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.rawValue < rhs.rawValue }
}
