import MedLedgerCore
import MedLedgerStorage

extension LedgerNode {
    /// A patient's whole audit trail as an export (`AuditTrailExport`), read at the current
    /// height: the body of `GET /v1/patients/{id}/audit/export`, produced a page of the event
    /// index at a time as the reader takes it.
    /// - Parameter pageRows: rows read from the store at a time (1…`Limits.auditExportPageRows`);
    ///   smaller only in tests.
    public func auditTrailExport(
        ofPatient patient: IdentityID, pageRows: Int = Limits.auditExportPageRows
    ) -> AuditTrailExportStream {
        AuditTrailExportStream(node: self, patient: patient, height: height, pageRows: pageRows)
    }

    /// One page of the rows filed under `subject` strictly before `before`, newest first,
    /// events undecoded. Not isolated to the node: the store is thread-safe, and a long
    /// export should not hold the actor that runs consensus.
    /// - Precondition: `limit` is 1…`Limits.auditExportPageRows`.
    public nonisolated func eventBytes(subject: [UInt8], before: EventCursor, limit: Int) throws
        -> [StoredEventBytes]
    {
        precondition(limit >= 1 && limit <= Limits.auditExportPageRows, "limit must be 1-\(Limits.auditExportPageRows)")
        return try store.eventBytes(subject: subject, before: before, limit: limit)
    }
}

/// The bytes of one audit-trail export, in chunks: the header, then one chunk per page of
/// the event index (`pageRows` records), the last one ending with the end marker. Every
/// page is read strictly below the previous one's last row, starting just above the export's
/// height, so a block committed while the export runs neither cuts nor duplicates entries,
/// and at most one page is held at a time whatever the length of the trail.
public struct AuditTrailExportStream: AsyncSequence, Sendable {
    public typealias Element = [UInt8]

    let node: LedgerNode
    public let patient: IdentityID
    /// The height the export reads at: rows of later blocks are not in it.
    public let height: Height
    let pageRows: Int

    init(node: LedgerNode, patient: IdentityID, height: Height, pageRows: Int) {
        precondition(pageRows >= 1 && pageRows <= Limits.auditExportPageRows, "pageRows out of range")
        self.node = node
        self.patient = patient
        self.height = height
        self.pageRows = pageRows
    }

    public func makeAsyncIterator() -> Iterator { Iterator(stream: self) }

    public struct Iterator: AsyncIteratorProtocol {
        enum Phase {
            case header
            case rows(before: EventCursor)
            case done
        }

        let stream: AuditTrailExportStream
        var phase = Phase.header
        var count: UInt64 = 0

        init(stream: AuditTrailExportStream) { self.stream = stream }

        public mutating func next() async throws -> [UInt8]? {
            switch phase {
            case .header:
                // Just above every row of the export's height: later blocks are skipped.
                phase = .rows(before: EventCursor(height: stream.height + 1, position: 0, eventIndex: 0))
                return AuditTrailExport.header(patient: stream.patient, height: stream.height)
            case .rows(let before):
                return try page(before: before)
            case .done:
                return nil
            }
        }

        private mutating func page(before: EventCursor) throws -> [UInt8] {
            let rows = try stream.node.eventBytes(
                subject: EventIndexKey.auditTrail(patient: stream.patient), before: before, limit: stream.pageRows)
            var encoder = CanonicalEncoder(capacity: rows.count * 160 + 12)
            for row in rows {
                precondition(row.cursor < before, "an export page reads strictly below its cursor")
                do {
                    try AuditTrailExport.appendRecord(
                        height: row.height, position: row.position, eventIndex: row.eventIndex, time: row.time,
                        transactionHash: row.transactionHash, eventBytes: row.event, to: &encoder)
                } catch {
                    throw StorageError.corrupt(table: "events", row: "height \(row.height)", error.reason)
                }
            }
            count += UInt64(rows.count)
            if rows.count == stream.pageRows, let last = rows.last {
                phase = .rows(before: last.cursor)
            } else {
                encoder.write(fixed: AuditTrailExport.end(count: count))
                phase = .done
            }
            return encoder.bytes
        }
    }
}
