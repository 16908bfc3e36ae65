import Foundation
import MedLedgerCore
import MedLedgerPostgres
import MedLedgerStorage
import NIOCore
import PostgresNIO
import Testing

/// The `LedgerDatabase` implementations the storage conformance suite runs against: every
/// test of LedgerStoreTests, LedgerStoreEventTests and LedgerStoreCorruptionTests takes one
/// as its argument, so both stores pass the same checks.
enum StoreKind: String, CaseIterable, Sendable, CustomTestStringConvertible {
    case sqlite, postgres
    var testDescription: String { rawValue }

    /// Both, when a PostgreSQL server is configured or required (the PostgreSQL cases then
    /// fail without one); SQLite alone otherwise, which `postgresServerAnswers` reports as a
    /// skip with its reason, so a run without PostgreSQL says so.
    static let underTest: [StoreKind] =
        TestPostgresServer.urlText != nil || TestPostgresServer.required ? [.sqlite, .postgres] : [.sqlite]
}

/// The PostgreSQL server the suite uses: `MEDLEDGER_TEST_POSTGRES_URL` (`.ci/run` starts one
/// and sets it, with `MEDLEDGER_REQUIRE_POSTGRES=1`).
enum TestPostgresServer {
    static let environment = ProcessInfo.processInfo.environment
    static let urlText = environment["MEDLEDGER_TEST_POSTGRES_URL"].flatMap { $0.isEmpty ? nil : $0 }
    /// Set by CI, so that a missing server fails the suite instead of skipping it silently.
    static let required = environment["MEDLEDGER_REQUIRE_POSTGRES"] == "1"

    static let configuredOrRequired = urlText != nil || required

    /// The server's URL.
    /// - Throws: `PostgresNotConfigured` without one (only reached when it is required).
    static func url() throws -> String {
        guard let urlText else { throw PostgresNotConfigured() }
        return urlText
    }
}

/// What fails every PostgreSQL case when `MEDLEDGER_REQUIRE_POSTGRES=1` and no URL is set.
struct PostgresNotConfigured: Error, CustomStringConvertible {
    var description: String {
        "MEDLEDGER_REQUIRE_POSTGRES=1 but MEDLEDGER_TEST_POSTGRES_URL is unset: the PostgreSQL cases cannot run"
    }
}

/// One test's own, empty store of one kind: a temporary directory (SQLite, and the data
/// directory of either), or a schema of its own on the test server (PostgreSQL), so tests
/// running in parallel never see each other's rows. Dropping it removes the directory and
/// the schema.
final class StoreUnderTest {
    let kind: StoreKind
    let directory: TemporaryDirectory
    /// The test's own schema on the server (PostgreSQL only).
    let postgresURL: PostgresURL?

    /// - Throws: `PostgresNotConfigured` for PostgreSQL without a server.
    init(_ kind: StoreKind) throws {
        self.kind = kind
        directory = try TemporaryDirectory()
        switch kind {
        case .sqlite:
            postgresURL = nil
        case .postgres:
            let text = try TestPostgresServer.url()
            let schema = "medledger_test_" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
            postgresURL = try PostgresURL(text).withSchema(schema)
        }
    }

    deinit {
        guard let postgresURL else { return }
        // A session on the shared schema drops this test's schema with everything in it.
        if let session = try? PostgresSession(url: postgresURL.withSchema("public")) {
            _ = try? session.query("DROP SCHEMA IF EXISTS \"\(postgresURL.schema)\" CASCADE")
        }
    }

    /// Opens (or re-opens) the store; every call sees the same rows.
    func open() throws -> any LedgerDatabase {
        switch kind {
        case .sqlite: return try LedgerStore(dataDirectory: directory.url)
        case .postgres: return try PostgresLedgerStore(url: postgresURL!)
        }
    }

    /// Runs raw SQL on the store's tables behind its back (to damage rows), through a
    /// connection of its own. `?` placeholders, as SQLite writes them, become `$1`, `$2`, …
    /// for PostgreSQL; blobs become BYTEA, text TEXT.
    func tamper(_ sql: String, _ values: [SQLiteValue] = []) throws {
        switch kind {
        case .sqlite:
            try SQLiteDatabase(path: directory.url.appendingPathComponent("ledger.sqlite").path).run(sql, values)
        case .postgres:
            var numbered = ""
            var next = 0
            for character in sql {
                if character == "?" {
                    next += 1
                    numbered += "$\(next)"
                } else {
                    numbered.append(character)
                }
            }
            var binds = PostgresBindings()
            for value in values {
                switch value {
                case .blob(let bytes): binds.append(ByteBuffer(bytes: bytes))
                case .integer(let number): binds.append(number)
                case .text(let text): binds.append(text)
                case .null: binds.appendNull()
                }
            }
            try PostgresSession(url: postgresURL!).query(numbered, binds)
        }
    }
}
