import MedLedgerPostgres
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
}
