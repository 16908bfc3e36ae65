import MedLedgerCore

/// The human-facing description of a report version: sealed with the report's data key and
/// carried on the ledger only as `ReportContent.encryptedMetadata`, because titles and notes
/// can hold protected health information.
///
/// Canonical form: title (length-prefixed UTF-8), effective date and note (each an optional
/// tag byte 0 or 1, then length-prefixed UTF-8), then the 32 salt bytes without a prefix.
public struct ReportMetadata: Hashable, Sendable, CanonicalCodable {
    public static let titleMaxBytes = Limits.metadataTitleMaxBytes
    /// Room for a date, a date-time or a short phrase such as "2026-11 (approx.)".
    public static let effectiveDateMaxBytes = Limits.metadataEffectiveDateMaxBytes
    public static let noteMaxBytes = Limits.metadataNoteMaxBytes
    public static let saltByteCount = 32

    public let title: String
    /// Free text such as "2026-11-21"; not parsed, because clinical dates are often partial.
    public let effectiveDate: String?
    public let note: String?
    /// The secret salt of `ReportContent.commitment`: without it the commitment cannot be used
    /// to confirm a guessed plaintext (a short result like "negative" is easy to guess).
    public let salt: [UInt8]

    /// Checks every bound the decoder checks, so any value built here also decodes.
    public init(title: String, effectiveDate: String?, note: String?, salt: [UInt8]) throws(VaultError) {
        guard title.utf8.count <= Self.titleMaxBytes else {
            throw .invalidMetadata.with("title is \(title.utf8.count) bytes, limit \(Self.titleMaxBytes)")
        }
        if let effectiveDate, effectiveDate.utf8.count > Self.effectiveDateMaxBytes {
            throw .invalidMetadata.with(
                "effective date is \(effectiveDate.utf8.count) bytes, limit \(Self.effectiveDateMaxBytes)")
        }
        if let note, note.utf8.count > Self.noteMaxBytes {
            throw .invalidMetadata.with("note is \(note.utf8.count) bytes, limit \(Self.noteMaxBytes)")
        }
        guard salt.count == Self.saltByteCount else {
            throw .invalidMetadata.with("salt is \(salt.count) bytes, must be \(Self.saltByteCount)")
        }
        self.title = title
        self.effectiveDate = effectiveDate
        self.note = note
        self.salt = salt
    }

    /// A fresh salt from the system's secure random source.
    public static func randomSalt() -> [UInt8] {
        var generator = SystemRandomNumberGenerator()
        return (0..<saltByteCount).map { _ in UInt8.random(in: 0...255, using: &generator) }
    }

    public func encode(to encoder: inout CanonicalEncoder) {
        encoder.write(title)
        Self.write(optional: effectiveDate, to: &encoder)
        Self.write(optional: note, to: &encoder)
        encoder.write(fixed: salt)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        title = try decoder.readString("metadata.title", maxBytes: Self.titleMaxBytes)
        effectiveDate = try Self.readOptional(&decoder, "metadata.effectiveDate", maxBytes: Self.effectiveDateMaxBytes)
        note = try Self.readOptional(&decoder, "metadata.note", maxBytes: Self.noteMaxBytes)
        salt = try decoder.readFixed("metadata.salt", count: Self.saltByteCount)
    }

    // String is not CanonicalCodable, so the encoder's optional helpers do not apply;
    // these follow the same rule (tag byte 0 or 1, then the value).
    private static func write(optional value: String?, to encoder: inout CanonicalEncoder) {
        if let value {
            encoder.write(UInt8(1))
            encoder.write(value)
        } else {
            encoder.write(UInt8(0))
        }
    }

    private static func readOptional(
        _ decoder: inout CanonicalDecoder, _ field: String, maxBytes: Int
    ) throws(CanonicalDecodingError) -> String? {
        switch try decoder.readUInt8(field) {
        case 0: return nil
        case 1: return try decoder.readString(field, maxBytes: maxBytes)
        default: throw CanonicalDecodingError(field: field, reason: "optional tag must be 0 or 1")
        }
    }
}
