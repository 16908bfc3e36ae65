/// A patient's whole audit trail as one verifiable download (`GET
/// /v1/patients/{id}/audit/export`): canonical bytes a privacy officer or the patient can
/// check against the chain, instead of pages of JSON. Layout (docs/spec/api.md):
///
///     header   magic "MLAUDIT" 0x00 (8 bytes), version UInt16 (1), patient IdentityID (32),
///              height UInt64 (the height the export was read at)
///     records  UInt32 length (1…`Limits.auditExportRecordMaxBytes`), then that many bytes:
///              an `IndexedEvent`'s canonical bytes; newest first, as the JSON pages
///     end      UInt32 0, then UInt64 the number of records
///
/// The end marker lets a reader tell a complete export from one cut at a record boundary
/// (a node that fails mid-stream can only close the connection).
public enum AuditTrailExport {
    public static let magic: [UInt8] = Array("MLAUDIT".utf8) + [0]
    public static let version: UInt16 = 1
    /// Bytes of the header: magic, version, patient, height.
    public static let headerBytes = 8 + 2 + Hash256.byteCount + 8
    /// The media type the node answers with.
    public static let contentType = "application/octet-stream"

    /// The whole trail of `patient` as it stood at `height`, newest first.
    public struct Trail: Sendable, Equatable {
        public let patient: IdentityID
        public let height: Height
        public let events: [IndexedEvent]

        public init(patient: IdentityID, height: Height, events: [IndexedEvent]) {
            self.patient = patient
            self.height = height
            self.events = events
        }
    }

    /// The header of an export of `patient`'s trail read at `height`.
    public static func header(patient: IdentityID, height: Height) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: headerBytes)
        encoder.write(fixed: magic)
        encoder.write(version)
        encoder.write(patient)
        encoder.write(height.rawValue)
        precondition(encoder.bytes.count == headerBytes, "the header is \(headerBytes) bytes")
        return encoder.bytes
    }

    /// Appends one record from an event's stored canonical bytes, copied as they are.
    /// - Throws: `AuditTrailExportError` when the record would exceed
    ///   `Limits.auditExportRecordMaxBytes` (a damaged row: no real event is that large).
    public static func appendRecord(
        height: Height, position: Int, eventIndex: Int, time milliseconds: UInt64, transactionHash: Hash256?,
        eventBytes: [UInt8], to encoder: inout CanonicalEncoder
    ) throws(AuditTrailExportError) {
        let length = 8 + 4 + 4 + 8 + (transactionHash == nil ? 1 : 1 + Hash256.byteCount) + eventBytes.count
        guard length <= Limits.auditExportRecordMaxBytes, !eventBytes.isEmpty else {
            throw AuditTrailExportError(
                "the event at \(height).\(position).\(eventIndex) makes a record of \(length) bytes, "
                    + "outside 58…\(Limits.auditExportRecordMaxBytes)")
        }
        let start = encoder.bytes.count
        encoder.write(UInt32(length))
        IndexedEvent.encode(
            height: height, position: position, eventIndex: eventIndex, time: milliseconds,
            transactionHash: transactionHash, eventBytes: eventBytes, to: &encoder)
        precondition(encoder.bytes.count - start == 4 + length, "a record is as long as its prefix says")
    }

    /// The end marker after `count` records.
    public static func end(count: UInt64) -> [UInt8] {
        var encoder = CanonicalEncoder(capacity: 12)
        encoder.write(UInt32(0))
        encoder.write(count)
        return encoder.bytes
    }
}
