import Foundation
import MedLedgerFHIR

/// A FHIR resource as the EHR sent it: any JSON, kept whole so that what is sealed on the
/// ledger is exactly what came in (extensions and elements this gateway does not know
/// included). Typed R4 models would drop what they do not model; the gateway only reads the
/// few elements it maps (subject, category, code, dates, identifiers, references).
public enum FHIRValue: Hashable, Sendable, Codable {
    case null
    case bool(Bool)
    case integer(Int64)
    case decimal(Double)
    case string(String)
    case array([FHIRValue])
    case object([String: FHIRValue])

    public init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let value = try? container.decode(Bool.self) {
            self = .bool(value)
        } else if let value = try? container.decode(Int64.self) {
            self = .integer(value)
        } else if let value = try? container.decode(Double.self) {
            self = .decimal(value)
        } else if let value = try? container.decode(String.self) {
            self = .string(value)
        } else if let value = try? container.decode([FHIRValue].self) {
            self = .array(value)
        } else {
            self = .object(try container.decode([String: FHIRValue].self))
        }
    }

    public func encode(to encoder: any Encoder) throws {
        var container = encoder.singleValueContainer()
        switch self {
        case .null: try container.encodeNil()
        case .bool(let value): try container.encode(value)
        case .integer(let value): try container.encode(value)
        case .decimal(let value): try container.encode(value)
        case .string(let value): try container.encode(value)
        case .array(let value): try container.encode(value)
        case .object(let value): try container.encode(value)
        }
    }

    public subscript(key: String) -> FHIRValue? {
        get {
            guard case .object(let fields) = self else { return nil }
            return fields[key]
        }
        set {
            guard case .object(var fields) = self else { return }
            fields[key] = newValue
            self = .object(fields)
        }
    }

    public subscript(index: Int) -> FHIRValue? {
        guard case .array(let items) = self, items.indices.contains(index) else { return nil }
        return items[index]
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var array: [FHIRValue]? {
        if case .array(let value) = self { return value }
        return nil
    }

    public var object: [String: FHIRValue]? {
        if case .object(let value) = self { return value }
        return nil
    }

    public var resourceType: String? { self["resourceType"]?.string }

    /// Parses JSON bytes; a syntax error becomes a 400 OperationOutcome.
    public static func parse(_ bytes: some Collection<UInt8>) throws(FHIRProblem) -> FHIRValue {
        do {
            return try JSONDecoder().decode(FHIRValue.self, from: Data(bytes))
        } catch {
            throw FHIRProblem(400, .invalid, "the body is not JSON: \(error)")
        }
    }

    /// One of MedLedgerFHIR's typed models as a value (what the facade's models encode).
    public init(model: some Encodable) {
        let data = (try? FHIRJSON.encode(model)) ?? Data("null".utf8)
        self = (try? FHIRValue.parse(Array(data))) ?? .null
    }

    /// Sorted keys, so equal resources are equal bytes.
    public func encoded() -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        // Encoding a tree of strings, numbers and containers cannot fail.
        return Array((try? encoder.encode(self)) ?? Data("null".utf8))
    }

    /// Applies `transform` to every string value (not keys), depth first.
    public func mapStrings(_ transform: (String) -> String) -> FHIRValue {
        switch self {
        case .string(let value): .string(transform(value))
        case .array(let items): .array(items.map { $0.mapStrings(transform) })
        case .object(let fields): .object(fields.mapValues { $0.mapStrings(transform) })
        default: self
        }
    }
}
