/// Why canonical bytes could not be read. `field` names where decoding stopped.
public struct CanonicalDecodingError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let reason: String
    public init(field: String, reason: String) {
        self.field = field
        self.reason = reason
    }
    public var description: String { "\(field): \(reason)" }
}

/// Reads canonical bytes (see `CanonicalEncoder`) with a limit on every length and count,
/// so a hostile length prefix can never make the decoder allocate without bound.
public struct CanonicalDecoder: Sendable {
    private let bytes: [UInt8]
    public private(set) var offset = 0

    public init(_ bytes: [UInt8]) { self.bytes = bytes }

    public var remaining: Int { bytes.count - offset }

    public mutating func readUInt8(_ field: String) throws(CanonicalDecodingError) -> UInt8 {
        UInt8(try readBigEndian(field, width: 1))
    }
    public mutating func readUInt16(_ field: String) throws(CanonicalDecodingError) -> UInt16 {
        UInt16(try readBigEndian(field, width: 2))
    }
    public mutating func readUInt32(_ field: String) throws(CanonicalDecodingError) -> UInt32 {
        UInt32(try readBigEndian(field, width: 4))
    }
    public mutating func readUInt64(_ field: String) throws(CanonicalDecodingError) -> UInt64 {
        try readBigEndian(field, width: 8)
    }

    public mutating func readBool(_ field: String) throws(CanonicalDecodingError) -> Bool {
        switch try readUInt8(field) {
        case 0: return false
        case 1: return true
        default: throw CanonicalDecodingError(field: field, reason: "boolean must be 0 or 1")
        }
    }

    public mutating func readBytes(_ field: String, maxCount: Int) throws(CanonicalDecodingError) -> [UInt8] {
        let count = Int(try readUInt32(field))
        guard count <= maxCount else {
            throw CanonicalDecodingError(field: field, reason: "length \(count) exceeds limit \(maxCount)")
        }
        return try readFixed(field, count: count)
    }

    public mutating func readFixed(_ field: String, count: Int) throws(CanonicalDecodingError) -> [UInt8] {
        guard count <= remaining else {
            throw CanonicalDecodingError(field: field, reason: "needs \(count) bytes, \(remaining) left")
        }
        defer { offset += count }
        return Array(bytes[offset..<offset + count])
    }

    public mutating func readString(_ field: String, maxBytes: Int) throws(CanonicalDecodingError) -> String {
        let raw = try readBytes(field, maxCount: maxBytes)
        guard let text = String(validating: raw, as: UTF8.self) else {
            throw CanonicalDecodingError(field: field, reason: "not valid UTF-8")
        }
        return text
    }

    public mutating func read<T: CanonicalDecodable>(_ type: T.Type) throws(CanonicalDecodingError) -> T {
        try T(from: &self)
    }

    public mutating func readArray<T: CanonicalDecodable>(
        _ type: T.Type, _ field: String, maxCount: Int
    ) throws(CanonicalDecodingError) -> [T] {
        let count = Int(try readUInt32(field))
        guard count <= maxCount else {
            throw CanonicalDecodingError(field: field, reason: "count \(count) exceeds limit \(maxCount)")
        }
        var items = [T]()
        items.reserveCapacity(count)
        for _ in 0..<count { items.append(try T(from: &self)) }
        return items
    }

    public mutating func readOptional<T: CanonicalDecodable>(
        _ type: T.Type, _ field: String
    ) throws(CanonicalDecodingError) -> T? {
        switch try readUInt8(field) {
        case 0: return nil
        case 1: return try T(from: &self)
        default: throw CanonicalDecodingError(field: field, reason: "optional tag must be 0 or 1")
        }
    }

    /// Fails when bytes are left over: a canonical value has exactly one length.
    public func finish() throws(CanonicalDecodingError) {
        guard remaining == 0 else {
            throw CanonicalDecodingError(field: "(end)", reason: "\(remaining) trailing bytes")
        }
    }

    private mutating func readBigEndian(_ field: String, width: Int) throws(CanonicalDecodingError) -> UInt64 {
        guard width <= remaining else {
            throw CanonicalDecodingError(field: field, reason: "needs \(width) bytes, \(remaining) left")
        }
        var value: UInt64 = 0
        for index in offset..<offset + width { value = value << 8 | UInt64(bytes[index]) }
        offset += width
        return value
    }
}
