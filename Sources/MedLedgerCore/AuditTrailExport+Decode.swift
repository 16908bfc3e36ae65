extension AuditTrailExport {
    /// Reads a whole export, checking everything the format promises: the header, every
    /// record's length against its limit and against the bytes left, every record's
    /// canonical bytes, newest-first order at or below the export's height, that every event
    /// is an access to the patient's reports, and the end marker with the record count.
    /// - Throws: `AuditTrailExportError` naming what is wrong and where (the record number
    ///   and byte offset): truncated, oversized, out of order, or garbage input.
    public static func decode(_ bytes: [UInt8]) throws(AuditTrailExportError) -> Trail {
        var decoder = CanonicalDecoder(bytes)
        let (patient, height) = try readHeader(&decoder)
        var events = [IndexedEvent]()
        while true {
            let offset = decoder.offset
            let number = events.count + 1
            guard let length = try? decoder.readUInt32("length") else {
                throw AuditTrailExportError(
                    "truncated: the export ends at byte \(offset) after \(events.count) records, without its end marker"
                )
            }
            if length == 0 {
                try readEnd(&decoder, count: events.count)
                return Trail(patient: patient, height: height, events: events)
            }
            let event = try readRecord(&decoder, length: Int(length), number: number, offset: offset)
            try check(event, number: number, patient: patient, height: height, previous: events.last)
            events.append(event)
        }
    }

    private static func readHeader(_ decoder: inout CanonicalDecoder) throws(AuditTrailExportError) -> (
        IdentityID, Height
    ) {
        guard decoder.remaining >= headerBytes else {
            throw AuditTrailExportError(
                "truncated: \(decoder.remaining) bytes, shorter than the \(headerBytes)-byte header")
        }
        // With the header's bytes present these reads cannot fail; the catch keeps a future
        // field from trapping.
        let found: (magic: [UInt8], version: UInt16, patient: IdentityID, height: UInt64)
        do {
            found = (
                try decoder.readFixed("magic", count: magic.count), try decoder.readUInt16("version"),
                try decoder.read(IdentityID.self), try decoder.readUInt64("height")
            )
        } catch {
            throw AuditTrailExportError("header: \(error)")
        }
        guard found.magic == magic else {
            throw AuditTrailExportError("not an audit-trail export: the first 8 bytes are not \"MLAUDIT\\0\"")
        }
        guard found.version == version else {
            throw AuditTrailExportError(
                "version \(found.version) is not supported (this reader knows version \(version))")
        }
        return (found.patient, Height(found.height))
    }

    private static func readRecord(
        _ decoder: inout CanonicalDecoder, length: Int, number: Int, offset: Int
    ) throws(AuditTrailExportError) -> IndexedEvent {
        guard length <= Limits.auditExportRecordMaxBytes else {
            throw AuditTrailExportError(
                "record \(number) at byte \(offset) declares \(length) bytes, over the limit of "
                    + "\(Limits.auditExportRecordMaxBytes)")
        }
        guard length <= decoder.remaining, let record = try? decoder.readFixed("record", count: length) else {
            throw AuditTrailExportError(
                "truncated: record \(number) at byte \(offset) declares \(length) bytes, \(decoder.remaining) are left")
        }
        do {
            return try IndexedEvent.decode(canonical: record)
        } catch {
            throw AuditTrailExportError("record \(number) at byte \(offset) does not decode: \(error)")
        }
    }

    /// Order and membership: strictly older than the previous record, not above the
    /// export's height, and an access to one of the patient's reports.
    private static func check(
        _ event: IndexedEvent, number: Int, patient: IdentityID, height: Height, previous: IndexedEvent?
    ) throws(AuditTrailExportError) {
        guard event.height <= height else {
            throw AuditTrailExportError(
                "record \(number) is at height \(event.height), above the export's height \(height)")
        }
        if let previous {
            let older =
                (event.height, event.position, event.eventIndex)
                < (previous.height, previous.position, previous.eventIndex)
            guard older else {
                throw AuditTrailExportError(
                    "record \(number) (\(event.cursor)) is not older than record \(number - 1) (\(previous.cursor))")
            }
        }
        guard case .access(_, _, let owner, _, _, _, _) = event.event, owner == patient else {
            throw AuditTrailExportError("record \(number) is not an access to a report of patient \(patient)")
        }
    }

    private static func readEnd(_ decoder: inout CanonicalDecoder, count: Int) throws(AuditTrailExportError) {
        guard let declared = try? decoder.readUInt64("count") else {
            throw AuditTrailExportError("truncated: the end marker has no record count")
        }
        guard declared == UInt64(count) else {
            throw AuditTrailExportError("the end marker counts \(declared) records, the export holds \(count)")
        }
        guard decoder.remaining == 0 else {
            throw AuditTrailExportError("\(decoder.remaining) bytes follow the end marker")
        }
    }
}

/// Why an audit-trail export was refused: what is wrong and where.
public struct AuditTrailExportError: Error, Equatable, Sendable, CustomStringConvertible {
    public let reason: String
    public init(_ reason: String) { self.reason = reason }
    public var description: String { "audit-trail export: \(reason)" }
}
