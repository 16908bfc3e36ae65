import MedLedgerCore

/// One page of a list the ledger serves (newest first for events, id order for grants),
/// and the cursor that fetches the next one.
public struct Page<Item: Sendable>: Sendable {
    public let items: [Item]
    /// Pass this as `cursor` for the next page; nil when this page is the last.
    public let nextCursor: String?

    public init(items: [Item], nextCursor: String?) {
        self.items = items
        self.nextCursor = nextCursor
    }
}

/// What page of a list to fetch.
public struct PageRequest: Sendable {
    public let cursor: String?
    public let limit: Int

    public init(cursor: String? = nil, limit: Int = PageLimits.defaultItems) {
        precondition((1...PageLimits.maxItems).contains(limit), "page limit must be 1-\(PageLimits.maxItems)")
        self.cursor = cursor
        self.limit = limit
    }
}
