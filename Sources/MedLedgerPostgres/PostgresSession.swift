import Foundation
import Logging
import MedLedgerStorage
import NIOConcurrencyHelpers
import NIOCore
import NIOPosix
import NIOSSL
import PostgresNIO

/// One PostgreSQL connection with a synchronous API, as `SQLiteDatabase` is for SQLite.
///
/// Why synchronous, and how: `LedgerDatabase` is synchronous because its callers are (the
/// `LedgerNode` actor's `submit`, queries and commit, and `verify`, all written against
/// SQLite, which blocks its thread on the disk). Making the protocol async would ripple
/// through the node's whole API for one backend. So each call sends its query through
/// postgres-nio's `EventLoopFuture` API and blocks the calling thread until the answer arrives
/// (`awaitBlocking`), exactly as an SQLite call blocks on its file. This is safe because the
/// connection runs on an event loop group of its own (one thread, owned here and used by
/// nothing else): the waiting thread is never that loop's thread, so the wait cannot
/// deadlock, whatever executor the caller runs on. The callers include the API's event loops
/// (each HTTP connection's task prefers its loop, and the node actor's code runs there when
/// such a task calls it), which is why NIO's own `.wait()` is not used: it refuses to block
/// any event loop thread, not only the future's. Bridging the
/// async API instead (a semaphore around a `Task`) could deadlock the two-thread cooperative
/// pool of a 2-core machine, which the blocked callers would be occupying.
///
/// Thread safety: every call holds a recursive lock for its whole duration and
/// `transaction(_:)` across its body, so other threads' statements never interleave with a
/// transaction. A connection the server closed is opened again by the next call outside a
/// transaction (a transaction fails, and is rolled back by the server).
package final class PostgresSession: @unchecked Sendable {
    package let url: PostgresURL
    private let group: MultiThreadedEventLoopGroup
    private var connection: PostgresConnection
    private let lock = NSRecursiveLock()
    private var inTransaction = false
    private let logger = Logger(label: "medledger.postgres")

    /// Connects and selects `url.schema` (creating it when missing).
    /// - Throws: `StorageError` (`.postgres`) naming the server when it cannot be reached or
    ///   refuses the login.
    package init(url: PostgresURL) throws {
        self.url = url
        group = MultiThreadedEventLoopGroup(numberOfThreads: 1)
        do {
            connection = try Self.connect(url: url, group: group, logger: logger)
        } catch {
            group.shutdownGracefully { _ in }
            throw error
        }
    }

    /// Closes the connection, then stops the event loop, without blocking: postgres-nio
    /// requires a connection to be closed before it is released, so the closure keeps it.
    deinit {
        let connection = connection
        let group = group
        connection.close().whenComplete { _ in
            withExtendedLifetime(connection) {}
            group.shutdownGracefully { _ in }
        }
    }

    private static let connectionIDs = NIOLockedValueBox(0)

    private static func connect(url: PostgresURL, group: any EventLoopGroup, logger: Logger) throws
        -> PostgresConnection
    {
        let tls: PostgresConnection.Configuration.TLS
        do {
            switch url.tls {
            case .disable: tls = .disable
            case .prefer: tls = .prefer(try NIOSSLContext(configuration: .makeClientConfiguration()))
            case .require: tls = .require(try NIOSSLContext(configuration: .makeClientConfiguration()))
            }
        } catch {
            throw StorageError(.postgres, "\(url): TLS set-up failed: \(error)")
        }
        let configuration = PostgresConnection.Configuration(
            host: url.host, port: url.port, username: url.user, password: url.password, database: url.database, tls: tls
        )
        let id = connectionIDs.withLockedValue { value in
            value += 1
            return value
        }
        let connection: PostgresConnection
        do {
            connection = try awaitBlocking(
                PostgresConnection.connect(on: group.next(), configuration: configuration, id: id, logger: logger))
        } catch {
            throw StorageError(.postgres, "connect to \(url): \(Self.describe(error))")
        }
        // The schema is a checked plain identifier (PostgresURL), so quoting it is enough.
        for sql in ["CREATE SCHEMA IF NOT EXISTS \"\(url.schema)\"", "SET search_path TO \"\(url.schema)\""] {
            do {
                _ = try awaitBlocking(connection.query(PostgresQuery(unsafeSQL: sql), logger: logger))
            } catch {
                _ = try? awaitBlocking(connection.close())
                throw StorageError(.postgres, "\(url): `\(sql)`: \(Self.describe(error))")
            }
        }
        return connection
    }

    /// Runs one statement with `binds` ($1, $2, …) and returns all its rows.
    /// - Throws: `StorageError`, `.constraint` for a violated constraint (SQLSTATE class 23),
    ///   naming the statement and the server's message.
    @discardableResult
    package func query(_ sql: String, _ binds: PostgresBindings = PostgresBindings()) throws
        -> [PostgresRandomAccessRow]
    {
        try locked {
            if connection.isClosed, !inTransaction {
                connection = try Self.connect(url: url, group: group, logger: logger)
            }
            do {
                let result = try awaitBlocking(
                    connection.query(PostgresQuery(unsafeSQL: sql, binds: binds), logger: logger))
                return result.rows.map { $0.makeRandomAccess() }
            } catch {
                throw Self.storageError(error, sql: sql)
            }
        }
    }

    /// Runs `body` inside `BEGIN` … `COMMIT`, rolling back when it throws. Transactions do not nest.
    @discardableResult
    package func transaction<T>(_ body: () throws -> T) throws -> T {
        try locked {
            precondition(!inTransaction, "PostgresSession transactions do not nest")
            try query("BEGIN")
            inTransaction = true
            defer { inTransaction = false }
            do {
                let result = try body()
                try query("COMMIT")
                return result
            } catch {
                // After a failed statement the server only accepts ROLLBACK; keep the first error.
                if !connection.isClosed { _ = try? query("ROLLBACK") }
                throw error
            }
        }
    }

    private func locked<T>(_ body: () throws -> T) rethrows -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body()
    }

    static func storageError(_ error: any Error, sql: String) -> StorageError {
        let state = (error as? PSQLError)?.serverInfo?[.sqlState]
        let kind: StorageError.Kind = state?.hasPrefix("23") == true ? .constraint : .postgres
        return StorageError(kind, "`\(abbreviate(sql))`: \(describe(error))")
    }

    /// The server's message and SQLSTATE, or what failed on the client's side. (PSQLError's
    /// own description hides everything, to keep data out of logs by default; what is shown
    /// here is the server's message, which names tables and constraints, not values.)
    static func describe(_ error: any Error) -> String {
        guard let error = error as? PSQLError else { return "\(error)" }
        if let info = error.serverInfo {
            let message = info[.message] ?? "error"
            let detail = info[.detail].map { " (\($0))" } ?? ""
            return "\(message)\(detail) [SQLSTATE \(info[.sqlState] ?? "?")]"
        }
        return "\(error.code)" + (error.underlying.map { ": \($0)" } ?? "")
    }

    /// The first line of a statement, shortened: enough to find it in the source.
    private static func abbreviate(_ sql: String) -> String {
        let line = sql.split(separator: "\n").first.map { $0.trimmingCharacters(in: .whitespaces) } ?? ""
        return line.count > 80 ? String(line.prefix(77)) + "..." : line
    }
}

/// Blocks the calling thread until `future` completes, and returns or throws its result.
///
/// Only for futures of `PostgresSession`'s own event loop group, whose thread never calls
/// this: the caller may be any other thread, an event loop of the API's included (see
/// `PostgresSession`).
func awaitBlocking<Value: Sendable>(_ future: EventLoopFuture<Value>) throws -> Value {
    let outcome = NIOLockedValueBox<Result<Value, any Error>?>(nil)
    let done = DispatchSemaphore(value: 0)
    future.whenComplete { result in
        outcome.withLockedValue { $0 = result }
        done.signal()
    }
    done.wait()
    // Set before the signal, so present once the wait returns.
    guard let result = outcome.withLockedValue({ $0 }) else { preconditionFailure("signalled without a result") }
    return try result.get()
}
