/// An enum whose canonical form is its one-byte tag and whose JSON form is its name.
/// Tags are part of the wire format: never renumber a case, only add new ones.
public protocol TaggedEnum: CanonicalCodable, CaseIterable, Hashable, Comparable, Sendable, CustomStringConvertible {
    var tag: UInt8 { get }
    var name: String { get }
    static var fieldName: String { get }
}

extension TaggedEnum {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(tag) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        let tag = try decoder.readUInt8(Self.fieldName)
        guard let value = Self.allCases.first(where: { $0.tag == tag }) else {
            throw CanonicalDecodingError(field: Self.fieldName, reason: "unknown tag \(tag)")
        }
        self = value
    }
    /// Looks a case up by its name, as written in JSON and on the command line.
    public init?(name: String) {
        guard let value = Self.allCases.first(where: { $0.name == name }) else { return nil }
        self = value
    }
    public var description: String { name }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.tag < rhs.tag }
    public static var allNames: [String] { allCases.map(\.name) }
}
