/// An indexed event's canonical bytes: where the event sits on the chain, then the event.
///
///     height UInt64, position UInt32, eventIndex UInt32, time UInt64 (consensus milliseconds),
///     transactionHash optional Hash256, event (LedgerEvent's canonical bytes)
///
/// The event comes last and unprefixed: its own encoding says where it ends, and a decoder
/// refuses trailing bytes. This is the record of an audit-trail export (`AuditTrailExport`).
extension IndexedEvent: CanonicalCodable {
    public func encode(to encoder: inout CanonicalEncoder) {
        Self.encode(
            height: height, position: position, eventIndex: eventIndex, time: time.milliseconds,
            transactionHash: transactionHash, eventBytes: event.canonicalBytes, to: &encoder)
    }

    /// Writes the layout above from an event's stored canonical bytes, which it copies
    /// without decoding: the node exports rows of its event index this way.
    /// - Precondition: `position` and `eventIndex` are within the block and receipt limits.
    public static func encode(
        height: Height, position: Int, eventIndex: Int, time milliseconds: UInt64, transactionHash: Hash256?,
        eventBytes: [UInt8], to encoder: inout CanonicalEncoder
    ) {
        precondition(position >= 0 && position < Limits.blockMaxTransactions, "position \(position) out of range")
        precondition(
            eventIndex >= 0 && eventIndex < Limits.receiptEventsMaxCount, "event index \(eventIndex) out of range")
        encoder.write(height.rawValue)
        encoder.write(UInt32(position))
        encoder.write(UInt32(eventIndex))
        encoder.write(milliseconds)
        encoder.write(optional: transactionHash)
        encoder.write(fixed: eventBytes)
    }

    public init(from decoder: inout CanonicalDecoder) throws(CanonicalDecodingError) {
        let height = Height(try decoder.readUInt64("height"))
        let position = Int(try decoder.readUInt32("position"))
        guard position < Limits.blockMaxTransactions else {
            throw CanonicalDecodingError(
                field: "position", reason: "\(position) is not below \(Limits.blockMaxTransactions)")
        }
        let eventIndex = Int(try decoder.readUInt32("eventIndex"))
        guard eventIndex < Limits.receiptEventsMaxCount else {
            throw CanonicalDecodingError(
                field: "eventIndex", reason: "\(eventIndex) is not below \(Limits.receiptEventsMaxCount)")
        }
        let time = ConsensusTime(milliseconds: try decoder.readUInt64("time"))
        let transactionHash = try decoder.readOptional(Hash256.self, "transactionHash")
        self.init(
            height: height, position: position, eventIndex: eventIndex, time: time,
            transactionHash: transactionHash, event: try decoder.read(LedgerEvent.self))
    }
}
