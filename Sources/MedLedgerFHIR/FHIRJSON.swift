import Foundation

/// FHIR JSON as MedLedger writes and reads it.
public enum FHIRJSON {
    /// The media type of every FHIR answer. `application/json` is accepted on input as well.
    public static let contentType = "application/fhir+json"
    /// Media types a FHIR request body may have.
    public static let acceptedInputTypes = ["application/fhir+json", "application/json"]

    /// Encodes with sorted keys (the same resource always gives the same bytes) and without
    /// `null`s (absent elements are left out, as FHIR requires).
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<T: Decodable>(_ type: T.Type, from data: Data) throws -> T {
        try JSONDecoder().decode(type, from: data)
    }
}
