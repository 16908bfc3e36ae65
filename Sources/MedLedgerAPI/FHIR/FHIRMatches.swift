import MedLedgerCore
import MedLedgerFHIR
import MedLedgerNode

/// What a search found: how many records match, and a way to map one page of them to
/// resources. Filters run on the records while the index is read; only the page is mapped
/// (which looks up the identities it references), so a search costs one bounded index scan
/// plus one page of mapping.
struct FHIRMatches {
    let total: Int
    private let resources: (ArraySlice<Int>) async throws -> [AnyResource]

    init<Item>(_ items: [Item], map: @escaping ([Item]) async throws -> [AnyResource]) {
        total = items.count
        resources = { positions in try await map(positions.map { items[$0] }) }
    }

    /// The resources of the page that starts at `offset` and holds at most `count`.
    func page(offset: Int, count: Int) async throws -> [AnyResource] {
        let start = min(offset, total)
        return try await resources(ArraySlice(start..<min(start + count, total)))
    }
}

extension FHIRRoutes {
    /// Reads a newest-first index page by page and keeps the items `keep` accepts, until the
    /// index ends or `stop` says every older item would fail the search's date. Reading more
    /// than `FHIRQuery.maxScanned` entries is refused as `too-costly` with `advice`: a search
    /// does bounded work and never answers a list cut short.
    func scan<Item>(
        advice: String,
        page: (EventCursor?) async throws -> (items: [Item], next: EventCursor?),
        stop: (Item) -> Bool = { _ in false },
        keep: (Item) async throws -> Bool
    ) async throws -> [Item] {
        var kept: [Item] = []
        var pagesRead = 0
        var cursor: EventCursor?
        repeat {
            let (items, next) = try await page(cursor)
            pagesRead += 1
            for item in items {
                if stop(item) { return kept }
                if try await keep(item) { kept.append(item) }
            }
            cursor = next
            // Each page reads up to `maxItems` index rows, whatever it returns.
            if cursor != nil, pagesRead * PageLimits.maxItems >= FHIRQuery.maxScanned {
                throw FHIRFailure(
                    .badRequest, "too-costly",
                    "the search would read more than \(FHIRQuery.maxScanned) index entries: \(advice)")
            }
        } while cursor != nil
        return kept
    }
}
