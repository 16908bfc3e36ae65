import MedLedgerCore

extension LedgerStore {
    /// Writes a block's keys to the run indexes (inside the commit's transaction): one key
    /// per transaction, and one per event row whose subject is not an audit trail (those
    /// rows are read through `audit_trail_rows`).
    /// - Throws: `StorageError` (`.constraint`) when a transaction hash repeats within the
    ///   block; (`.tooLarge`) when a subject is longer than an index key allows.
    func indexBlock(_ block: Block, eventRows: [(position: Int, eventIndex: Int, subject: [UInt8], event: [UInt8])])
        throws
    {
        let height = block.header.height
        var hashes = Set<Hash256>(minimumCapacity: block.transactions.count)
        for transaction in block.transactions where !hashes.insert(transaction.hash).inserted {
            throw StorageError(
                .constraint,
                "INSERT INTO transactions: transaction \(transaction.hash) appears twice in block \(height)")
        }
        try RunIndexKeys.transactions.add(
            block.transactions.enumerated().map { position, transaction in
                RunIndexKeys.transaction(hash: transaction.hash.bytes, height: height, position: position)
            }, in: database)
        var eventKeys: [[UInt8]] = []
        eventKeys.reserveCapacity(eventRows.count)
        for row in eventRows where !Self.isAuditTrail(row.subject) {
            guard let prefix = RunIndexKeys.eventPrefix(subject: row.subject) else {
                throw StorageError(.tooLarge, "an event subject of \(row.subject.count) bytes is too long to index")
            }
            eventKeys.append(
                RunIndexKeys.event(prefix: prefix, height: height, position: row.position, eventIndex: row.eventIndex))
        }
        try RunIndexKeys.eventSubjects.add(eventKeys, in: database)
    }

    /// Where the transaction with `hash` is, from the run index; nil when none is.
    func transactionLocation(hash: [UInt8]) throws -> (height: Height, position: Int)? {
        let range = RunIndexKeys.transactionRange(hash: hash)
        guard
            let key = try RunIndexKeys.transactions.keys(
                above: range.lower, below: range.upper, descending: false, limit: 1, in: database
            ).first
        else { return nil }
        guard let location = RunIndexKeys.transactionCoordinates(key, hash: hash) else {
            throw StorageError.corrupt(
                table: RunIndexKeys.transactions.table, row: "hash \(Hex.encode(hash))", "the key is malformed")
        }
        return location
    }

    /// Up to `limit` coordinates of `subject`'s event rows strictly between two cursors (nil:
    /// the start or end of its rows), newest first when `descending`. Not for audit trails.
    func eventCoordinates(
        subject: [UInt8], after: EventCursor?, before: EventCursor?, descending: Bool, limit: Int
    ) throws -> [EventCursor] {
        guard let prefix = RunIndexKeys.eventPrefix(subject: subject) else { return [] }
        let lower = after.map { RunIndexKeys.event(prefix: prefix, cursor: $0) } ?? prefix
        let upper = before.map { RunIndexKeys.event(prefix: prefix, cursor: $0) } ?? RunIndexKeys.end(of: prefix)
        return try RunIndexKeys.eventSubjects.keys(
            above: lower, below: upper, descending: descending, limit: limit, in: database
        ).map { key in
            guard let cursor = RunIndexKeys.eventCoordinates(key, prefix: prefix) else {
                throw StorageError.corrupt(
                    table: RunIndexKeys.eventSubjects.table, row: "subject \(Hex.encode(subject))",
                    "the key is malformed")
            }
            return cursor
        }
    }

    /// Writes the run indexes of every stored transaction and event row, each as one run on
    /// the level its size belongs to: how a version 1 to 4 file gets them (inside the
    /// migration's transaction).
    func indexStoredRows() throws {
        // Runs left by an earlier build would repeat keys: the index is rebuilt whole.
        for index in [RunIndexKeys.transactions, RunIndexKeys.eventSubjects] {
            try database.run("DELETE FROM index_runs WHERE index_table = ?", [.text(index.table)])
            try database.run("DELETE FROM \(index.table)")
        }
        try RunIndexKeys.transactions.addWholeRun(storedTransactionKeys(), in: database)
        try RunIndexKeys.eventSubjects.addWholeRun(storedEventKeys(), in: database)
    }

    /// The first run index that does not hold exactly the keys of the stored rows, with what
    /// is wrong (`verify`): a key missing or extra, a run's rows not listed, a damaged chunk.
    public func lookupIndexDamage() throws -> (index: String, reason: String)? {
        // One index at a time: on a large ledger each side is a list of millions of keys.
        let indexes: [(SortedRunIndex, () throws -> [[UInt8]])] = [
            (RunIndexKeys.transactions, storedTransactionKeys), (RunIndexKeys.eventSubjects, storedEventKeys),
        ]
        for (index, storedKeys) in indexes {
            let held: [[UInt8]]
            do { held = try index.allKeys(in: database) } catch { return (index.table, "\(error)") }
            if let reason = Self.difference(held: held, expected: try storedKeys()) { return (index.table, reason) }
        }
        return nil
    }

    /// What differs between an index's keys and the keys its rows need, nil when nothing.
    static func difference(held: [[UInt8]], expected: [[UInt8]]) -> String? {
        let held = held.sorted { $0.lexicographicallyPrecedes($1) }
        let expected = expected.sorted { $0.lexicographicallyPrecedes($1) }
        let common = min(held.count, expected.count)
        let firstDifference = (0..<common).first { held[$0] != expected[$0] }
        guard let at = firstDifference ?? (held.count == expected.count ? nil : common) else { return nil }
        let missing = at < expected.count && (at >= held.count || expected[at].lexicographicallyPrecedes(held[at]))
        let key = missing ? expected[at] : held[at]
        return "holds \(held.count) keys where the stored rows need \(expected.count): key \(Hex.encode(key)) is "
            + (missing ? "missing" : "not a stored row's")
    }

    /// The run index key of every stored transaction.
    private func storedTransactionKeys() throws -> [[UInt8]] {
        var keys: [[UInt8]] = []
        try database.withStatement("SELECT hash, height, position FROM transactions") { statement in
            while try statement.step() {
                guard let hash = statement.value(at: 0).blob, let height = statement.value(at: 1).unsigned,
                    let position = statement.value(at: 2).integer.flatMap({ Int(exactly: $0) }), position >= 0
                else {
                    throw StorageError.corrupt(table: "transactions", row: "\(statement.currentRow())", "malformed row")
                }
                keys.append(RunIndexKeys.transaction(hash: hash, height: Height(height), position: position))
            }
        }
        return keys
    }

    /// The run index key of every stored event row whose subject is not an audit trail.
    private func storedEventKeys() throws -> [[UInt8]] {
        var keys: [[UInt8]] = []
        let sql = "SELECT subject, height, position, event_index FROM events WHERE NOT (\(Self.auditTrailSubjects))"
        try database.withStatement(sql) { statement in
            while try statement.step() {
                guard let subject = statement.value(at: 0).blob,
                    let prefix = RunIndexKeys.eventPrefix(subject: subject),
                    let height = statement.value(at: 1).unsigned,
                    let position = statement.value(at: 2).integer.flatMap({ Int(exactly: $0) }), position >= 0,
                    let eventIndex = statement.value(at: 3).integer.flatMap({ Int(exactly: $0) }), eventIndex >= 0
                else {
                    throw StorageError.corrupt(table: "events", row: "\(statement.currentRow())", "malformed row")
                }
                keys.append(
                    RunIndexKeys.event(
                        prefix: prefix, height: Height(height), position: position, eventIndex: eventIndex))
            }
        }
        return keys
    }
}
