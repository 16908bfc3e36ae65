import CSQLite
import Foundation

/// Copies a database's write-ahead log back into its main file on a thread of its own, so the
/// connection that commits never does it inside a commit.
///
/// SQLite's default is an automatic checkpoint: the commit that takes the log past 1,000
/// pages also copies those pages into the main file and syncs it. A validator commits a block
/// per height, and that one commit in about fifteen took 20 to 30 ms longer than the rest
/// (a trace in `docs/performance.md`), while consensus waited for it. Here the committing
/// connection's log hook only asks for a checkpoint; this object's own connection runs a
/// PASSIVE one, which never blocks the writer or readers: they go on appending to and
/// reading from the log while it copies.
///
/// The log stays bounded even when this thread is starved: past `inlineFrames` the commit
/// checkpoints itself, as SQLite would have at 1,000 (`commitLeft(frames:connection:schema:)`).
public final class WALCheckpointer: @unchecked Sendable {
    /// Frames in the log at which a commit asks this thread for a checkpoint (SQLite's default
    /// automatic checkpoint is at the same size).
    public static let requestFrames: Int32 = 1_000
    /// Frames at which the committing connection checkpoints itself after all.
    public static let inlineFrames: Int32 = 16_000

    /// Frames at which this database's commits ask for a checkpoint, and checkpoint themselves.
    let requestAt: Int32
    let inlineAt: Int32
    private let connection: OpaquePointer
    private let condition = NSCondition()
    /// Guarded by `condition`.
    private var requested = false
    private var stopping = false
    private var completedCount = 0
    private let finished = DispatchSemaphore(value: 0)

    /// Opens a second connection to the database at `path` (which must be in WAL mode) and
    /// starts the thread. Commits ask for a checkpoint from `requestAt` frames in the log on,
    /// and checkpoint themselves from `inlineAt` on.
    init(path: String, requestAt: Int32, inlineAt: Int32) throws {
        precondition(0 < requestAt && requestAt <= inlineAt, "checkpoint thresholds out of order")
        self.requestAt = requestAt
        self.inlineAt = inlineAt
        var connection: OpaquePointer?
        let status = sqlite3_open_v2(path, &connection, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nil)
        guard status == SQLITE_OK, let connection else {
            let reason = connection.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close_v2(connection)
            throw StorageError(.sqlite, "open \(path) for checkpoints: \(reason)", sqliteCode: status)
        }
        self.connection = connection
        // FULL: the log is synced before its pages are copied and the main file after, as
        // the committing connection's own checkpoints did.
        sqlite3_exec(connection, "PRAGMA synchronous=FULL; PRAGMA cache_size=-256;", nil, nil, nil)
        Thread { self.run() }.start()
    }

    /// What the committing connection's log hook does once a commit leaves `frames` in the
    /// log (it runs inside that connection's lock).
    func commitLeft(frames: Int32, connection committing: OpaquePointer?, schema: UnsafePointer<CChar>?) {
        if frames >= inlineAt {
            // The thread has fallen far behind: copy here, as SQLite's own hook would have long ago.
            sqlite3_wal_checkpoint_v2(committing, schema, SQLITE_CHECKPOINT_PASSIVE, nil, nil)
        } else if frames >= requestAt {
            request()
        }
    }

    /// Asks for a checkpoint soon; returns at once, and never touches the committing
    /// connection.
    private func request() {
        condition.lock()
        requested = true
        condition.signal()
        condition.unlock()
    }

    /// Checkpoints run so far (tests wait on it).
    var completed: Int {
        condition.lock()
        defer { condition.unlock() }
        return completedCount
    }

    /// Stops the thread after any checkpoint under way and closes the connection.
    func stop() {
        condition.lock()
        stopping = true
        condition.signal()
        condition.unlock()
        finished.wait()
        sqlite3_close_v2(connection)
    }

    private func run() {
        // Named from inside: a name given before `start()` did not reach the kernel here.
        Thread.current.name = "sqlite-checkpt"
        while true {
            condition.lock()
            while !requested && !stopping { condition.wait() }
            let stop = stopping
            requested = false
            condition.unlock()
            if stop { break }
            // SQLITE_BUSY only means another checkpoint is running (the committer's own, past
            // `inlineFrames`); the next request tries again.
            sqlite3_wal_checkpoint_v2(connection, "main", SQLITE_CHECKPOINT_PASSIVE, nil, nil)
            condition.lock()
            completedCount += 1
            condition.unlock()
        }
        finished.signal()
    }
}
