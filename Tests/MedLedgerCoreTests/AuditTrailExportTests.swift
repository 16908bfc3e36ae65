import MedLedgerCore
import Testing

@Suite struct AuditTrailExportTests {
    static let patient = IdentityID(hash: T.hash("patient"))
    static let reader = IdentityID(hash: T.hash("reader"))
    static let organization = IdentityID(hash: T.hash("organization"))

    static func access(_ byte: UInt8, basis: AccessBasis, patient: IdentityID = patient) -> LedgerEvent {
        .access(
            report: T.id(byte), version: 1, patient: patient, reader: reader, purpose: .treatment, basis: basis,
            organization: byte.isMultiple(of: 2) ? organization : nil)
    }

    /// Three reads, newest first, at heights 7, 7 and 3; one without a transaction hash.
    static let events = [
        IndexedEvent(
            height: 7, position: 2, eventIndex: 1, time: ConsensusTime(milliseconds: 7_000),
            transactionHash: T.hash("tx2"), event: access(1, basis: .denied(.noActiveGrant))),
        IndexedEvent(
            height: 7, position: 0, eventIndex: 0, time: ConsensusTime(milliseconds: 7_000),
            transactionHash: T.hash("tx0"), event: access(2, basis: .grant(T.grantID(9)))),
        IndexedEvent(
            height: 3, position: 5, eventIndex: 0, time: ConsensusTime(milliseconds: 3_000), transactionHash: nil,
            event: access(3, basis: .relationship)),
    ]

    /// An export as the node writes one: header, records from the events' canonical bytes, end.
    static func export(_ events: [IndexedEvent] = events, height: Height = 8, count: UInt64? = nil) throws -> [UInt8] {
        var encoder = CanonicalEncoder()
        encoder.write(fixed: AuditTrailExport.header(patient: patient, height: height))
        for event in events {
            try AuditTrailExport.appendRecord(
                height: event.height, position: event.position, eventIndex: event.eventIndex,
                time: event.time.milliseconds, transactionHash: event.transactionHash,
                eventBytes: event.event.canonicalBytes, to: &encoder)
        }
        encoder.write(fixed: AuditTrailExport.end(count: count ?? UInt64(events.count)))
        return encoder.bytes
    }

    static func expectRefused(
        _ bytes: [UInt8], saying phrase: String, sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let error = #expect(throws: AuditTrailExportError.self, sourceLocation: sourceLocation) {
            try AuditTrailExport.decode(bytes)
        }
        #expect(
            error?.reason.contains(phrase) == true, "\(error.map(String.init(describing:)) ?? "no error")",
            sourceLocation: sourceLocation)
    }

    @Test func decodesWhatTheNodeWrites() throws {
        let trail = try AuditTrailExport.decode(try Self.export())
        #expect(trail == AuditTrailExport.Trail(patient: Self.patient, height: 8, events: Self.events))
        let empty = try AuditTrailExport.decode(try Self.export([]))
        #expect(empty.events.isEmpty && empty.height == 8)
    }

    @Test func layoutIsTheSpecifiedOne() throws {
        let header = AuditTrailExport.header(patient: Self.patient, height: 0x0102)
        #expect(header == Array("MLAUDIT".utf8) + [0, 0, 1] + Self.patient.hash.bytes + [0, 0, 0, 0, 0, 0, 1, 2])
        // A record is the IndexedEvent's canonical bytes: fixed-width fields, then the event.
        let event = Self.events[0]
        let expected: [UInt8] =
            [0, 0, 0, 0, 0, 0, 0, 7] + [0, 0, 0, 2] + [0, 0, 0, 1] + [0, 0, 0, 0, 0, 0, 0x1b, 0x58] + [1]
            + T.hash("tx2").bytes + event.event.canonicalBytes
        #expect(event.canonicalBytes == expected)
        #expect(try IndexedEvent.decode(canonical: expected) == event)
        let bytes = try Self.export([event])
        #expect(Array(bytes[header.count..<(header.count + 4)]) == [0, 0, 0, UInt8(expected.count)])
        #expect(Array(bytes[(header.count + 4)..<(header.count + 4 + expected.count)]) == expected)
        #expect(Array(bytes.suffix(12)) == [0, 0, 0, 0] + [0, 0, 0, 0, 0, 0, 0, 1])
    }

    @Test func everyTruncationIsRefused() throws {
        let bytes = try Self.export()
        for length in 0..<bytes.count {
            Self.expectRefused(Array(bytes.prefix(length)), saying: "truncated")
        }
    }

    @Test func garbageIsRefusedNamingWhatIsWrong() throws {
        let bytes = try Self.export()
        let header = AuditTrailExport.headerBytes
        var magic = bytes
        magic[0] = UInt8(ascii: "X")
        Self.expectRefused(magic, saying: "not an audit-trail export")
        var version = bytes
        version[9] = 2
        Self.expectRefused(version, saying: "version 2 is not supported")
        var huge = bytes
        huge.replaceSubrange(header..<(header + 4), with: [0xff, 0xff, 0xff, 0xff])
        Self.expectRefused(huge, saying: "record 1 at byte \(header) declares 4294967295 bytes, over the limit")
        var tag = bytes
        let eventTag = header + 4 + 8 + 4 + 4 + 8 + 1 + 32
        #expect(tag[eventTag] == 5, "the access event's tag")
        tag[eventTag] = 0x77
        Self.expectRefused(tag, saying: "record 1 at byte \(header) does not decode: event: unknown tag 119")
        Self.expectRefused(bytes + [0], saying: "1 bytes follow the end marker")
        Self.expectRefused(try Self.export(count: 4), saying: "the end marker counts 4 records, the export holds 3")
    }

    @Test func orderHeightAndPatientAreChecked() throws {
        Self.expectRefused(
            try Self.export(Self.events.reversed()), saying: "record 2 (7.0.0) is not older than record 1 (3.5.0)")
        Self.expectRefused(try Self.export([Self.events[0], Self.events[0]]), saying: "is not older than")
        Self.expectRefused(try Self.export(height: 6), saying: "record 1 is at height 7, above the export's height 6")
        let other = IndexedEvent(
            height: 1, position: 0, eventIndex: 0, time: ConsensusTime(milliseconds: 1), transactionHash: nil,
            event: Self.access(4, basis: .relationship, patient: Self.reader))
        Self.expectRefused(try Self.export([other]), saying: "record 1 is not an access to a report of patient")
    }

    @Test func theNodeRefusesToWriteAnOversizedRecord() {
        var encoder = CanonicalEncoder()
        #expect(throws: AuditTrailExportError.self) {
            try AuditTrailExport.appendRecord(
                height: 1, position: 0, eventIndex: 0, time: 0, transactionHash: nil,
                eventBytes: [UInt8](repeating: 1, count: Limits.auditExportRecordMaxBytes), to: &encoder)
        }
        #expect(encoder.bytes.isEmpty, "nothing of a refused record is written")
    }
}
