/// The one encoder whose output is hashed or signed anywhere in MedLedger.
///
/// Rules (docs/spec/encoding.md): integers are fixed-width big-endian; booleans are one byte
/// 0 or 1; byte strings and UTF-8 strings are a UInt32 length then the bytes; arrays are a
/// UInt32 count then the elements in the order given (callers sort where order is not
/// meaningful); optionals are a tag byte 0 (absent) or 1 then the value; enums are a UInt8 tag.
/// Nothing here iterates a Dictionary or a Set.
public struct CanonicalEncoder: Sendable {
    public private(set) var bytes: [UInt8]

    public init(capacity: Int = 256) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    public mutating func write(_ value: UInt8) { bytes.append(value) }
    public mutating func write(_ value: UInt16) { writeBigEndian(UInt64(value), width: 2) }
    public mutating func write(_ value: UInt32) { writeBigEndian(UInt64(value), width: 4) }
    public mutating func write(_ value: UInt64) { writeBigEndian(value, width: 8) }
    public mutating func write(_ value: Bool) { bytes.append(value ? 1 : 0) }

    /// Length-prefixed bytes.
    public mutating func write(bytes value: [UInt8]) {
        precondition(value.count <= Limits.fieldMaxBytes, "field larger than any decoder accepts")
        write(UInt32(value.count))
        bytes.append(contentsOf: value)
    }

    /// Bytes of a length both sides know (hashes, keys, signatures): no prefix.
    public mutating func write(fixed value: [UInt8]) { bytes.append(contentsOf: value) }

    /// Length-prefixed UTF-8.
    public mutating func write(_ value: String) { write(bytes: Array(value.utf8)) }

    public mutating func write<T: CanonicalEncodable>(_ value: T) { value.encode(to: &self) }

    public mutating func write<T: CanonicalEncodable>(array: [T]) {
        write(UInt32(array.count))
        for element in array { element.encode(to: &self) }
    }

    public mutating func write<T: CanonicalEncodable>(optional: T?) {
        if let value = optional {
            write(UInt8(1))
            value.encode(to: &self)
        } else {
            write(UInt8(0))
        }
    }

    private mutating func writeBigEndian(_ value: UInt64, width: Int) {
        var shift = (width - 1) * 8
        while shift >= 0 {
            bytes.append(UInt8(truncatingIfNeeded: value >> UInt64(shift)))
            shift -= 8
        }
    }
}

/// A value with exactly one byte representation.
public protocol CanonicalEncodable {
    func encode(to encoder: inout CanonicalEncoder)
}

/// A value that can be read back from its canonical bytes, rejecting anything non-canonical.
public protocol CanonicalDecodable {
    init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError)
}

public typealias CanonicalCodable = CanonicalEncodable & CanonicalDecodable

extension CanonicalEncodable {
    /// The canonical bytes of this value.
    public var canonicalBytes: [UInt8] {
        var encoder = CanonicalEncoder()
        encode(to: &encoder)
        return encoder.bytes
    }
}

extension CanonicalDecodable {
    /// Decodes a whole buffer; trailing bytes are an error.
    public static func decode(canonical bytes: [UInt8]) throws(CanonicalDecodingError) -> Self {
        var decoder = CanonicalDecoder(bytes)
        let value = try Self(from: &decoder)
        try decoder.finish()
        return value
    }
}
