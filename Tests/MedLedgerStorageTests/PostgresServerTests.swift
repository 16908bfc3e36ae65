import MedLedgerPostgres
import NIOCore
import NIOPosix
import Testing

/// Says, in every run, whether the conformance suite's PostgreSQL cases ran: skipped with
/// the reason when no server is configured (and none is required), failing when one is
/// required but missing or not answering.
@Suite struct PostgresServerTests {
    @Test(
        .enabled(
            if: TestPostgresServer.configuredOrRequired,
            "MEDLEDGER_TEST_POSTGRES_URL is unset: the storage conformance suite ran against SQLite only"))
    func postgresServerAnswers() throws {
        let url = try PostgresURL(try TestPostgresServer.url())
        let session = try PostgresSession(url: url)
        let version = try #require(try session.query("SHOW server_version_num").first)[0].decode(String.self)
        #expect((Int(version) ?? 0) >= 150_000, "PostgreSQL \(version): the suite is meant for 15 or later")
    }

    /// The API's handlers, and the node actor's code they call, run on NIO event loops; a
    /// session's blocking call must work there (NIO's `.wait()` traps on any event loop).
    @Test(
        .enabled(
            if: TestPostgresServer.configuredOrRequired,
            "MEDLEDGER_TEST_POSTGRES_URL is unset: the storage conformance suite ran against SQLite only"))
    func aSessionAnswersOnAnEventLoopThread() async throws {
        let session = try PostgresSession(url: try PostgresURL(try TestPostgresServer.url()))
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        let answer = try await loop.submit {
            precondition(MultiThreadedEventLoopGroup.currentEventLoop != nil, "not on an event loop")
            return try session.query("SELECT 41 + 1").first?[0].decode(Int.self)
        }.get()
        #expect(answer == 42)
    }
}
