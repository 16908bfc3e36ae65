import Foundation
import MedLedgerCore
import Testing

@testable import MedLedgerStorage

/// The run index (`SortedRunIndex`) against a sorted array: whatever runs and merges hold
/// the keys at a given moment, every read answers as one sorted list would.
@Suite struct SortedRunIndexTests {
    /// A small fan-in and budget, so that a few hundred keys go through several levels and
    /// most reads happen while a merge is half done.
    static let index = SortedRunIndex(table: "test_runs", fanIn: 2, minimumMergeBudget: 3, mergeBudgetPerKey: 1)

    static func database() throws -> SQLiteDatabase {
        let database = try SQLiteDatabase(path: ":memory:")
        try database.execute(SortedRunIndex.runListSchema + index.tableSchema)
        return database
    }

    /// Deterministic pseudo-random bytes (a linear congruential generator), so a failure repeats.
    struct Generator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
            return state >> 33
        }
        /// Keys of 1 to `longest` bytes.
        var longest = 4
        mutating func key() -> [UInt8] {
            (0..<Int(1 + next() % UInt64(longest))).map { _ in UInt8(truncatingIfNeeded: next()) }
        }
    }

    func expected(_ model: [[UInt8]], above lower: [UInt8], below upper: [UInt8], descending: Bool, limit: Int)
        -> [[UInt8]]
    {
        let inRange = model.filter { lower.lexicographicallyPrecedes($0) && $0.lexicographicallyPrecedes(upper) }
            .sorted { $0.lexicographicallyPrecedes($1) }
        return Array((descending ? inRange.reversed() : inRange).prefix(limit))
    }

    /// Short keys put a whole run in one chunk; keys of up to 300 bytes spread a run over
    /// many chunks, so merges cut chunks and reads start inside them.
    @Test(arguments: [4, 300]) func everyReadMatchesASortedListWhileRunsAreMerged(longestKey: Int) throws {
        let database = try Self.database()
        var generator = Generator(state: 42, longest: longestKey)
        var model = Set<[UInt8]>()
        var sawAMergeUnderWay = false
        for step in 0..<300 {
            var keys: [[UInt8]] = []
            for _ in 0..<Int(generator.next() % 7) {
                let key = generator.key()
                if model.insert(key).inserted { keys.append(key) }
            }
            try database.transaction { try Self.index.add(keys, in: database) }
            sawAMergeUnderWay = try sawAMergeUnderWay || !Self.index.merges(in: database).isEmpty
            let sorted = Array(model)
            for _ in 0..<3 {
                let (a, b) = (generator.key(), generator.key())
                let (lower, upper) = a.lexicographicallyPrecedes(b) ? (a, b) : (b, a)
                let descending = generator.next() % 2 == 0
                let limit = Int(generator.next() % 9)
                let found = try Self.index.keys(
                    above: lower, below: upper, descending: descending, limit: limit, in: database)
                #expect(
                    found == expected(sorted, above: lower, below: upper, descending: descending, limit: limit),
                    "step \(step), \(lower) to \(upper), descending \(descending), limit \(limit)")
            }
        }
        #expect(sawAMergeUnderWay, "the budget is small enough that merges span several commits")
        let all = try Self.index.keys(
            above: [], below: [0xFF, 0xFF, 0xFF, 0xFF, 0xFF], descending: false, limit: 10_000, in: database)
        #expect(all == model.sorted { $0.lexicographicallyPrecedes($1) })
        #expect(try Self.index.count(in: database) == model.count)
    }

    @Test func mergesFinishAndLeaveFewRunsPerLevel() throws {
        let database = try Self.database()
        var generator = Generator(state: 7)
        var added = 0
        for _ in 0..<64 {
            let keys = Set((0..<5).map { _ in generator.key() + [UInt8(truncatingIfNeeded: added)] })
            added += 1
            try database.transaction { try Self.index.add(Array(keys), in: database) }
        }
        // Commits with nothing to add still move keys, so the merges under way finish.
        for _ in 0..<200 { try database.transaction { try Self.index.add([], in: database) } }
        #expect(try Self.index.merges(in: database).isEmpty)
        let levels = try database.query("SELECT level, COUNT(*) FROM index_runs GROUP BY level ORDER BY level")
        #expect(!levels.isEmpty)
        for row in levels {
            #expect((row[1].integer ?? 99) < Int64(Self.index.fanIn), "level \(row[0]) has \(row[1]) runs")
        }
        // 64 runs of level 0 made of five keys each: all of them end up on the levels above.
        #expect(try database.query("SELECT COUNT(*) FROM index_runs WHERE level = 0").first?.first?.integer ?? 99 <= 1)
    }

    /// Each merge moves at most its share per commit, however much of the budget is left,
    /// so a large merge spreads over many commits instead of lengthening a few.
    @Test func aMergeMovesAtMostItsSharePerCommit() throws {
        let index = SortedRunIndex(
            table: "test_runs", fanIn: 2, minimumMergeBudget: 1, mergeBudgetPerKey: 6, mergeRatePerKey: 2)
        let database = try Self.database()
        func destinationKeys() throws -> [Int] {
            try index.merges(in: database).map { try index.count(run: $0.destination, in: database) }
        }
        func keys(_ range: Range<Int>) -> [[UInt8]] { range.map { [UInt8($0 >> 8), UInt8($0 & 0xFF)] } }
        // A run of 200 keys, then one of 20: that commit starts merging the two and may move
        // 2 × 20 keys of them (the whole budget, 6 × 20, would move 60).
        try database.transaction { try index.add(keys(0..<200), in: database) }
        #expect(try index.merges(in: database).isEmpty)
        try database.transaction { try index.add(keys(200..<220), in: database) }
        let first = try destinationKeys()
        #expect(first.count == 1 && (1...40).contains(first[0]), "moved \(first)")
        try database.transaction { try index.add(keys(300..<330), in: database) }
        let second = try destinationKeys()
        #expect(second.count == 1 && (first[0] + 1...first[0] + 60).contains(second[0]), "moved \(second)")
        let all = try index.keys(above: [], below: [0xFF], descending: false, limit: 1_000, in: database)
        #expect(all == keys(0..<220) + keys(300..<330))
    }

    @Test func aCommitThatFailsLeavesRunsAndKeysAsTheyWere() throws {
        let database = try Self.database()
        for value in 0..<9 {
            try database.transaction { try Self.index.add([[UInt8(value)], [UInt8(value), 1]], in: database) }
        }
        let runsBefore = try database.query("SELECT * FROM index_runs ORDER BY run")
        let keysBefore = try database.query("SELECT * FROM test_runs ORDER BY run, first")
        struct Refused: Error {}
        #expect(throws: Refused.self) {
            try database.transaction {
                try Self.index.add([[0x50], [0x51]], in: database)
                throw Refused()
            }
        }
        #expect(try database.query("SELECT * FROM index_runs ORDER BY run") == runsBefore)
        #expect(try database.query("SELECT * FROM test_runs ORDER BY run, first") == keysBefore)
        // A key repeated within one call is refused.
        let error = #expect(throws: StorageError.self) {
            try database.transaction { try Self.index.add([[0x60], [0x60]], in: database) }
        }
        #expect(error?.kind == .constraint)
    }

    @Test func aRunReadSeeksTheRunAndKeyRangeInThePrimaryKey() throws {
        let database = try Self.database()
        for descending in [false, true] {
            let plan = try database.query(
                "EXPLAIN QUERY PLAN \(Self.index.chunksSQL(descending: descending))",
                [.integer(1), .blob([1]), .blob([2])]
            ).compactMap { $0.last?.text }.joined(separator: "; ")
            #expect(
                plan.contains("SEARCH test_runs USING PRIMARY KEY (run=? AND first>? AND first<?)"), "plan: \(plan)")
            #expect(plan.contains("SEARCH test_runs USING PRIMARY KEY (run=? AND first<?)"), "plan: \(plan)")
            #expect(!plan.contains("TEMP B-TREE"), "plan: \(plan)")
        }
    }

    @Test func aMigratedRunSitsOnTheLevelItsSizeBelongsTo() {
        let index = SortedRunIndex(table: "t")
        #expect(index.level(forRunOf: 0) == 0)
        #expect(index.level(forRunOf: 1_024) == 0)
        #expect(index.level(forRunOf: 1_025) == 1)
        #expect(index.level(forRunOf: 1_000_000) == 3, "1,024 × 16^3 is the first size above 10^6")
        #expect(index.level(forRunOf: Int.max) <= 60)
    }

    @Test func aRunThatMergesIntoARunNotListedIsReportedAsDamage() throws {
        let database = try Self.database()
        try database.transaction { try Self.index.add([[1]], in: database) }
        try database.run("UPDATE index_runs SET merging_into = 999")
        let error = #expect(throws: StorageError.self) {
            try database.transaction { try Self.index.add([[2]], in: database) }
        }
        #expect(error?.kind == .corruptData)
        #expect(try Self.index.keys(above: [], below: [0xFF], descending: false, limit: 10, in: database) == [[1]])
    }

    @Test func aDamagedChunkIsReportedAsDamage() throws {
        let database = try Self.database()
        try database.transaction { try Self.index.add([[1], [2], [3]], in: database) }
        try database.run("UPDATE test_runs SET keys = X'0901'")
        let error = #expect(throws: StorageError.self) {
            try Self.index.keys(above: [], below: [0xFF], descending: false, limit: 10, in: database)
        }
        #expect(error?.kind == .corruptData)
        #expect(error?.message.contains("a chunk of keys is malformed") == true)
        // Keys out of order: the first not below the next.
        try database.run("UPDATE test_runs SET first = X'05', keys = X'0102'")
        let unordered = #expect(throws: StorageError.self) {
            try Self.index.keys(above: [], below: [0xFF], descending: false, limit: 10, in: database)
        }
        #expect(unordered?.message.contains("a chunk's keys are out of order") == true)
    }

    /// A transaction's key (48 bytes) and an event's for an id subject (58): a row holds
    /// about twenty and stays under the 1,002 bytes that SQLite keeps on a 4 KiB page.
    @Test(arguments: [48, 58]) func aChunkRowHoldsManyKeysAndStaysOnItsPage(keyBytes: Int) throws {
        let database = try Self.database()
        var generator = Generator(state: UInt64(keyBytes))
        let keys = (0..<1_000).map { _ in (0..<keyBytes).map { _ in UInt8(truncatingIfNeeded: generator.next()) } }
        try database.transaction { try Self.index.add(keys, in: database) }
        let rows = try database.query("SELECT COUNT(*), MAX(length(first) + length(keys) + 10) FROM test_runs")
        let (count, largest) = (rows[0][0].integer ?? 0, rows[0][1].integer ?? .max)
        #expect(count <= 1_000 / 15, "\(count) rows for 1,000 keys")
        #expect(largest <= 1_002, "a row of \(largest) bytes with its header")
        #expect(try Self.index.count(in: database) == 1_000)
    }
}
