import MedLedgerCore

extension LedgerNode {
    /// Events filed under any of `subjects` after `cursor`, oldest first, each once (an event
    /// filed under two of the subjects, say a practitioner and its organization, comes once).
    /// Reads at most `limit` rows per subject, so a chunk is bounded however long the history.
    /// - Parameters:
    ///   - subjects: index keys (ids' bytes, as in `LedgerEvent.subjects`); at most 8.
    ///   - limit: the most events returned (1 to `PageLimits.maxItems`).
    public func events(subjects: [[UInt8]], after cursor: EventCursor?, limit: Int) throws -> [IndexedEvent] {
        precondition(subjects.count <= 8, "an event stream follows at most 8 subjects")
        precondition(limit >= 1 && limit <= PageLimits.maxItems, "limit must be 1-\(PageLimits.maxItems)")
        var merged: [EventCursor: IndexedEvent] = [:]
        for subject in Set(subjects) {
            for event in try store.events(subject: subject, after: cursor, limit: limit) {
                merged[event.cursor] = event
            }
        }
        // Oldest first; the first `limit` of the union are complete, since each subject gave
        // its first `limit`.
        let ordered = merged.values.sorted { $0.cursor < $1.cursor }
        return Array(ordered.prefix(limit))
    }
}

extension EventCursor: Comparable {
    public static func < (lhs: EventCursor, rhs: EventCursor) -> Bool {
        (lhs.height.rawValue, lhs.position, lhs.eventIndex) < (rhs.height.rawValue, rhs.position, rhs.eventIndex)
    }
}
