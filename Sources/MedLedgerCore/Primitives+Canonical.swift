extension Hash256: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(fixed: bytes) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(unchecked: try decoder.readFixed("hash", count: Hash256.byteCount))
    }
}

extension IdentityID: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(hash) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(hash: try decoder.read(Hash256.self))
    }
}

extension OpaqueID: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(fixed: bytes) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(bytes: try decoder.readFixed("id", count: Self.byteCount))!
    }
}

// A counting number encodes exactly as its raw integer; decoding errors name `fieldName`.
extension Height: CanonicalCodable { public static let fieldName = "height" }
extension Round: CanonicalCodable { public static let fieldName = "round" }
extension Nonce: CanonicalCodable { public static let fieldName = "nonce" }
extension ReportVersion: CanonicalCodable { public static let fieldName = "version" }

extension CountingNumber where RawValue == UInt64 {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(try decoder.readUInt64(Self.fieldName))
    }
}

extension CountingNumber where RawValue == UInt32 {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(rawValue) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(try decoder.readUInt32(Self.fieldName))
    }
}

extension ConsensusTime: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(milliseconds) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self.init(milliseconds: try decoder.readUInt64("time"))
    }
}

extension UInt64: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(self) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        self = try decoder.readUInt64("uint64")
    }
}

/// A short code string such as a LOINC category; length-limited by `Limits.codeMaxBytes`.
public struct Code: Hashable, Comparable, Sendable, CustomStringConvertible, CanonicalCodable {
    public let value: String
    /// Returns nil when empty, too long, or containing characters outside printable ASCII.
    public init?(_ value: String) {
        guard !value.isEmpty, value.utf8.count <= Limits.codeMaxBytes,
            value.utf8.allSatisfy({ $0 >= 0x21 && $0 <= 0x7e })
        else { return nil }
        self.value = value
    }
    public var description: String { value }
    public static func < (lhs: Code, rhs: Code) -> Bool { lhs.value < rhs.value }
    public func encode(to encoder: inout CanonicalEncoder) { encoder.write(value) }
    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        let text = try decoder.readString("code", maxBytes: Limits.codeMaxBytes)
        guard let code = Code(text) else {
            throw CanonicalDecodingError(
                field: "code", reason: "must be 1-\(Limits.codeMaxBytes) printable ASCII characters")
        }
        self = code
    }
}
