/// An index over keys that arrive in random order (transaction hashes, event subjects), kept
/// as sorted runs in one SQLite table instead of one B-tree ordered by key.
///
/// Why: a B-tree ordered by hash-like keys takes each insert on a page of its own once it
/// outgrows the page cache, so a block of a thousand transactions dirtied about a thousand
/// pages of each such index, and the cost of a block grew with the chain (the layout model in
/// `docs/performance.md`). Here each block's keys become a new small run, written in key order
/// on pages of their own, and runs are merged into larger ones the way a log-structured merge
/// tree merges them: `fanIn` runs of one level become one run of the next. A merge is done a
/// slice at a time, at most `mergeBudget(rows:)` keys per commit, inside the commit's
/// transaction, so no commit pays for a whole merge and a crash leaves either all of a slice
/// or none of it. Moving keys in order appends to the destination run and removes a prefix
/// of each source run, so a merge writes pages in sequence.
///
/// A row of the table `(run, first, keys)` holds a chunk of a run's consecutive keys
/// (`RunChunk`): the first in `first`, which keys the row, and the others encoded in `keys`.
/// A merge moves chunks, not single keys, and merges their keys in Swift.
///
/// Each key is in exactly one run at any moment (a slice deletes what it copied), so a read
/// searches every run: at most about `fanIn - 1` per level plus the runs of the merges under
/// way, a few dozen for 10^6 keys. Keys must be distinct across the whole index: callers build
/// them from unique row coordinates. A key repeated within one call is refused.
///
/// Runs are listed in `index_runs`: the table each belongs to, its level, and the run it is
/// being merged into (NULL when it is not a merge's source).
struct SortedRunIndex: Sendable {
    /// The table of `(run, key)` rows.
    let table: String
    /// How many runs of one level are merged into one of the next. 16 rather than 8: each key
    /// is moved once per level, and in the layout model (`docs/performance.md`) a block cost
    /// less with fewer levels than the extra runs cost a read.
    let fanIn: Int
    /// Keys moved per commit at the least, however few the commit added.
    let minimumMergeBudget: Int
    /// Keys moved per commit for each key the commit added, all merges together.
    let mergeBudgetPerKey: Int
    /// Keys one merge moves per commit for each key the commit added. A merge out of a level
    /// has to end before that level has `fanIn` new runs, that is before as many keys as it
    /// holds have arrived: one key moved per key added keeps up, so two leave it half the
    /// time to spare. More would only end it sooner, with a longer commit while it lasts.
    let mergeRatePerKey: Int

    init(
        table: String, fanIn: Int = 16, minimumMergeBudget: Int = 1_024, mergeBudgetPerKey: Int = 6,
        mergeRatePerKey: Int = 2
    ) {
        precondition(
            fanIn >= 2 && minimumMergeBudget >= 1 && mergeBudgetPerKey >= 0 && mergeRatePerKey >= 1,
            "invalid run index settings")
        self.table = table
        self.fanIn = fanIn
        self.minimumMergeBudget = minimumMergeBudget
        self.mergeBudgetPerKey = mergeBudgetPerKey
        self.mergeRatePerKey = mergeRatePerKey
    }

    /// The SQL that creates the run list (shared by every run index).
    static let runListSchema = """
        CREATE TABLE IF NOT EXISTS index_runs (
            run INTEGER PRIMARY KEY,
            index_table TEXT NOT NULL,
            level INTEGER NOT NULL,
            merging_into INTEGER
        );
        """

    /// The SQL that creates this index's table.
    var tableSchema: String {
        "CREATE TABLE IF NOT EXISTS \(table) (run INTEGER NOT NULL, first BLOB NOT NULL, keys BLOB NOT NULL, PRIMARY KEY (run, first)) WITHOUT ROWID;"
    }

    /// How many keys a commit that added `rows` keys moves between runs, at most. A key is
    /// moved once per level, so six per key keeps merges up with a chain of blocks of equal
    /// size up to about 16^6 blocks (one per key for each of six levels), and lets three
    /// merges move at their full `mergeShare(rows:)`; a longer chain leaves more runs to
    /// read, not a longer commit.
    func mergeBudget(rows: Int) -> Int { max(minimumMergeBudget, rows * mergeBudgetPerKey) }

    /// How many keys one merge moves in a commit that added `rows` keys, at most.
    func mergeShare(rows: Int) -> Int { max(minimumMergeBudget, rows * mergeRatePerKey) }

    // MARK: Writing (inside the caller's transaction)

    /// Adds `keys` as one new run, starts the merges that are due and moves up to
    /// `mergeBudget(rows:)` keys of the merges under way, lowest level first, each at most
    /// `mergeShare(rows:)`: a merge then spreads over many commits at the pace it needs, not
    /// over a few long ones.
    /// - Throws: `StorageError`, `.constraint` when a key repeats within `keys`.
    func add(_ keys: [[UInt8]], in database: SQLiteDatabase) throws {
        try addRun(sortedKeys: keys.sorted { $0.lexicographicallyPrecedes($1) }, level: 0, in: database)
        // The run list is read once, and again only when a merge was started: on a validator
        // at half load, the two correlated queries over it that this replaces took 0.4 to
        // 0.6 ms per commit and index, about as long as writing the block's run; one plain
        // query takes about a third of that (`docs/performance.md`).
        var runs = try runList(in: database)
        if try startDueMerges(runs, in: database) { runs = try runList(in: database) }
        var budget = mergeBudget(rows: keys.count)
        let share = mergeShare(rows: keys.count)
        for merge in try Self.merges(runs) where budget > 0 {
            budget -= try advance(merge, budget: min(budget, share), in: database)
        }
    }

    /// Writes `keys` as one run on the level a run of their number belongs to: how a
    /// migration indexes existing rows.
    func addWholeRun(_ keys: [[UInt8]], in database: SQLiteDatabase) throws {
        try addRun(
            sortedKeys: keys.sorted { $0.lexicographicallyPrecedes($1) }, level: level(forRunOf: keys.count),
            in: database)
    }

    /// Writes `keys` (sorted) as a new run at `level`; nothing when there are none.
    private func addRun(sortedKeys keys: [[UInt8]], level: Int, in database: SQLiteDatabase) throws {
        guard !keys.isEmpty else { return }
        for index in keys.indices.dropFirst() where keys[index] == keys[index - 1] {
            throw StorageError(.constraint, "INSERT INTO \(table): a key repeats within one run")
        }
        try insert(keys[...], into: try newRun(level: level, in: database), in: database)
    }

    /// Lists a new, empty run at `level` and returns its id.
    private func newRun(level: Int, in database: SQLiteDatabase) throws -> Int64 {
        let run = (try database.query("SELECT MAX(run) FROM index_runs").first?.first?.integer ?? 0) + 1
        try database.run(
            "INSERT INTO index_runs(run, index_table, level, merging_into) VALUES (?, ?, ?, NULL)",
            [.integer(run), .text(table), .integer(Int64(level))])
        return run
    }

    /// The level a run of `count` keys belongs on when it did not come from merges: the
    /// lowest whose merged runs are at least that large, counting 1,024 keys on level 0.
    func level(forRunOf count: Int) -> Int {
        var level = 0
        var size = 1_024
        while size < count && level < 60 {
            size = size.multipliedReportingOverflow(by: fanIn).overflow ? Int.max : size * fanIn
            level += 1
        }
        return level
    }

    /// Writes sorted keys into `run` as chunks; the caller keeps chunks from overlapping.
    private func insert(_ sortedKeys: ArraySlice<[UInt8]>, into run: Int64, in database: SQLiteDatabase) throws {
        try database.withStatement("INSERT INTO \(table)(run, first, keys) VALUES (?, ?, ?)") { statement in
            for chunk in RunChunk.split(sortedKeys) {
                try statement.run([.integer(run), .blob(chunk.first!), .blob(RunChunk.encode(chunk.dropFirst()))])
            }
        }
    }

    /// A row's keys, from its `first` and `keys` columns. Damage is reported, not read past:
    /// keys out of order would make reads and merges skip keys without a word.
    private func decodeChunk(first: SQLiteValue, rest: SQLiteValue, run: Int64) throws -> [[UInt8]] {
        guard let first = first.blob, let bytes = rest.blob, let rest = RunChunk.decode(bytes) else {
            throw StorageError.corrupt(table: table, row: "run \(run)", "a chunk of keys is malformed")
        }
        let keys = [first] + rest
        for index in keys.indices.dropFirst() where !keys[index - 1].lexicographicallyPrecedes(keys[index]) {
            throw StorageError.corrupt(table: table, row: "run \(run)", "a chunk's keys are out of order")
        }
        return keys
    }

    /// One merge under way: the run being filled and the runs being emptied into it.
    struct Merge: Equatable {
        let destination: Int64
        var sources: [Int64]
    }

    /// One row of `index_runs`.
    struct RunRow: Equatable {
        let run: Int64
        let level: Int
        /// The merge's destination when this run is one of its sources.
        let mergingInto: Int64?
    }

    /// This index's runs, oldest first, in one query.
    func runList(in database: SQLiteDatabase) throws -> [RunRow] {
        try database.query(
            "SELECT run, level, merging_into FROM index_runs WHERE index_table = ? ORDER BY run", [.text(table)]
        ).map { row in
            guard let run = row[0].integer, let level = row[1].integer.flatMap({ Int(exactly: $0) }),
                row[2].integer != nil || row[2] == .null
            else {
                throw StorageError.corrupt(table: "index_runs", row: "\(row)", "a run is malformed")
            }
            return RunRow(run: run, level: level, mergingInto: row[2].integer)
        }
    }

    /// The merges under way, lowest level first.
    func merges(in database: SQLiteDatabase) throws -> [Merge] { try Self.merges(runList(in: database)) }

    /// The merges under way among `runs`, ordered by the destination's level, then by
    /// destination, each with its sources oldest first.
    static func merges(_ runs: [RunRow]) throws -> [Merge] {
        let levels = Dictionary(runs.map { ($0.run, $0.level) }, uniquingKeysWith: { first, _ in first })
        var sources: [Int64: [Int64]] = [:]
        for row in runs {
            guard let destination = row.mergingInto else { continue }
            guard levels[destination] != nil else {
                throw StorageError.corrupt(
                    table: "index_runs", row: "run \(row.run)", "it merges into a run not listed")
            }
            sources[destination, default: []].append(row.run)
        }
        return sources.keys.sorted { (levels[$0]!, $0) < (levels[$1]!, $1) }.map {
            Merge(destination: $0, sources: sources[$0]!)
        }
    }

    /// For each level with no merge out of it under way and `fanIn` finished runs, starts
    /// merging its oldest `fanIn` runs into a new run one level up. A run still being filled
    /// (a merge's destination) is not finished.
    /// - Returns: whether it started any.
    private func startDueMerges(_ runs: [RunRow], in database: SQLiteDatabase) throws -> Bool {
        let destinations = Set(runs.compactMap(\.mergingInto))
        var finished: [Int: [Int64]] = [:]
        var merging: Set<Int> = []
        for row in runs where !destinations.contains(row.run) {
            if row.mergingInto != nil {
                merging.insert(row.level)
            } else {
                finished[row.level, default: []].append(row.run)
            }
        }
        var started = false
        for level in finished.keys.sorted() where !merging.contains(level) {
            guard let runs = finished[level], runs.count >= fanIn else { continue }
            let destination = try newRun(level: level + 1, in: database)
            for source in runs.prefix(fanIn) {
                try database.run(
                    "UPDATE index_runs SET merging_into = ? WHERE run = ?", [.integer(destination), .integer(source)])
            }
            started = true
        }
        return started
    }

    /// Moves up to `budget` of `merge`'s smallest keys into its destination, in order, and
    /// retires the sources it empties. Returns how many keys it moved (at least one while
    /// any source has keys, so every merge ends).
    ///
    /// The slice ends at the smallest of the sources' `perSource`-th keys, so no source gives
    /// more than `perSource` keys, and every key up to that bound, in every source, is among
    /// the smallest left in the whole merge. Whole chunks are read from each source's start;
    /// the one a bound cuts is written back without its moved keys.
    private func advance(_ merge: Merge, budget: Int, in database: SQLiteDatabase) throws -> Int {
        let perSource = max(16, budget / merge.sources.count)
        let heads = try merge.sources.map { try head(of: $0, keys: perSource, in: database) }
        var bound: [UInt8]?
        for head in heads where head.keys.count >= perSource {
            let key = head.keys[perSource - 1]
            if bound.map({ key.lexicographicallyPrecedes($0) }) ?? true { bound = key }
        }
        let taken = heads.map { head in
            bound.map { bound in head.keys.prefix { !bound.lexicographicallyPrecedes($0) }.count } ?? head.keys.count
        }
        let moved = RunChunk.merge(zip(heads, taken).map { Array($0.keys.prefix($1)) })
        try append(moved, to: merge.destination, in: database)
        for (head, count) in zip(heads, taken) {
            try removeFirst(count, of: head, in: database)
        }
        return moved.count
    }

    /// The start of a source run: its first chunks' keys, where each chunk ends in `keys`,
    /// and whether they are all of the run.
    private struct RunHead {
        let run: Int64
        var chunkEnds: [Int] = []
        var keys: [[UInt8]] = []
        var reachedEnd = true
    }

    /// Reads `run`'s chunks from its start, whole, until they hold at least `wanted` keys or
    /// the run ends.
    private func head(of run: Int64, keys wanted: Int, in database: SQLiteDatabase) throws -> RunHead {
        var head = RunHead(run: run)
        try database.withStatement("SELECT first, keys FROM \(table) WHERE run = ? ORDER BY first") { statement in
            try statement.bind([.integer(run)])
            while head.keys.count < wanted {
                guard try statement.step() else { return }
                let keys = try decodeChunk(first: statement.value(at: 0), rest: statement.value(at: 1), run: run)
                head.keys += keys
                head.chunkEnds.append(head.keys.count)
            }
            head.reachedEnd = try !statement.step()
        }
        return head
    }

    /// Appends sorted keys, all greater than any it holds, to a merge's destination; its
    /// last chunk is filled up first when it has room, so a run filled a slice at a time
    /// is as dense as one written at once.
    private func append(_ keys: [[UInt8]], to run: Int64, in database: SQLiteDatabase) throws {
        guard !keys.isEmpty else { return }
        var all = keys
        let last = try database.query(
            "SELECT first, keys FROM \(table) WHERE run = ? ORDER BY first DESC LIMIT 1", [.integer(run)]
        ).first
        if let last {
            let chunk = try decodeChunk(first: last[0], rest: last[1], run: run)
            if chunk.reduce(0, { $0 + RunChunk.encodedSize($1) }) < RunChunk.maximumBytes {
                all = chunk + keys
                try database.run("DELETE FROM \(table) WHERE run = ? AND first = ?", [.integer(run), last[0]])
            }
        }
        try insert(all[...], into: run, in: database)
    }

    /// Deletes a source's first `count` keys (from its head): whole chunks at once, and the
    /// chunk that `count` cuts is written back with the keys it keeps. Retires the run when
    /// nothing is left of it.
    private func removeFirst(_ count: Int, of head: RunHead, in database: SQLiteDatabase) throws {
        if count > 0 {
            // The chunks that hold moved keys: all up to the one holding the last moved key.
            let cut = head.chunkEnds.firstIndex { $0 >= count }!
            let cutFirst = head.keys[cut == 0 ? 0 : head.chunkEnds[cut - 1]]
            try database.run(
                "DELETE FROM \(table) WHERE run = ? AND first <= ?", [.integer(head.run), .blob(cutFirst)])
            if head.chunkEnds[cut] > count {
                try insert(head.keys[count..<head.chunkEnds[cut]], into: head.run, in: database)
            }
        }
        if head.reachedEnd && count == head.keys.count {
            try database.run("DELETE FROM index_runs WHERE run = ?", [.integer(head.run)])
        }
    }

    // MARK: Reading

    /// Every run that holds keys of this index, those being merged included.
    func runs(in database: SQLiteDatabase) throws -> [Int64] {
        try database.query("SELECT run FROM index_runs WHERE index_table = ? ORDER BY run", [.text(table)])
            .compactMap { $0[0].integer }
    }

    /// The chunks of one run that can hold keys strictly between two bounds, in order: the
    /// last that starts at or below the lower bound, and those that start between the two.
    /// Parameters: run, lower, upper.
    func chunksSQL(descending: Bool) -> String {
        """
        SELECT first, keys FROM \(table) WHERE run = ?1 AND first < ?3 AND first >= IFNULL(\
        (SELECT first FROM \(table) WHERE run = ?1 AND first <= ?2 ORDER BY first DESC LIMIT 1), X'') \
        ORDER BY first \(descending ? "DESC" : "ASC")
        """
    }

    /// Up to `limit` keys strictly between `lower` and `upper`, in ascending or descending
    /// order, across all runs: each run's first `limit` keys in that order, merged.
    func keys(above lower: [UInt8], below upper: [UInt8], descending: Bool, limit: Int, in database: SQLiteDatabase)
        throws -> [[UInt8]]
    {
        guard limit > 0 else { return [] }
        var found: [[UInt8]] = []
        // The run list is read under the statement's lock, which a commit also takes: a
        // merge's slice between the two reads could otherwise move keys into a run not listed.
        try database.withStatement(chunksSQL(descending: descending)) { statement in
            for run in try runs(in: database) {
                try statement.bind([.integer(run), .blob(lower), .blob(upper)])
                var fromRun = 0
                while fromRun < limit, try statement.step() {
                    let chunk = try decodeChunk(first: statement.value(at: 0), rest: statement.value(at: 1), run: run)
                    for key in descending ? Array(chunk.reversed()) : chunk
                    where lower.lexicographicallyPrecedes(key) && key.lexicographicallyPrecedes(upper) {
                        found.append(key)
                        fromRun += 1
                        if fromRun == limit { break }
                    }
                }
            }
        }
        found.sort { descending ? $1.lexicographicallyPrecedes($0) : $0.lexicographicallyPrecedes($1) }
        return Array(found.prefix(limit))
    }

    /// Every key that reads can see, run by run, checking what reads rely on: each chunk
    /// decodes in order, every merge's destination is listed, and no row belongs to a run
    /// that is not listed (reads would never see it).
    func allKeys(in database: SQLiteDatabase) throws -> [[UInt8]] {
        let runs = try runList(in: database)
        _ = try Self.merges(runs)
        let unlisted = try database.query(
            "SELECT COUNT(*) FROM \(table) WHERE run NOT IN (SELECT run FROM index_runs WHERE index_table = ?)",
            [.text(table)])
        if let count = unlisted.first?.first?.integer, count > 0 {
            throw StorageError.corrupt(table: table, row: "\(count) rows", "their runs are not listed in index_runs")
        }
        var keys: [[UInt8]] = []
        try database.withStatement("SELECT first, keys FROM \(table) WHERE run = ? ORDER BY first") { statement in
            for run in runs.map(\.run) {
                try statement.bind([.integer(run)])
                var last: [UInt8]?
                while try statement.step() {
                    let chunk = try decodeChunk(first: statement.value(at: 0), rest: statement.value(at: 1), run: run)
                    if let last, !last.lexicographicallyPrecedes(chunk[0]) {
                        throw StorageError.corrupt(table: table, row: "run \(run)", "its chunks overlap")
                    }
                    last = chunk.last
                    keys += chunk
                }
            }
        }
        return keys
    }

    /// How many keys the index holds, or one of its runs (tests; reads every chunk).
    func count(run: Int64? = nil, in database: SQLiteDatabase) throws -> Int {
        var count = 0
        let sql = "SELECT run, first, keys FROM \(table)" + (run == nil ? "" : " WHERE run = ?")
        try database.withStatement(sql) { statement in
            try statement.bind(run.map { [.integer($0)] } ?? [])
            while try statement.step() {
                count += try decodeChunk(
                    first: statement.value(at: 1), rest: statement.value(at: 2),
                    run: statement.value(at: 0).integer ?? -1
                ).count
            }
        }
        return count
    }
}
