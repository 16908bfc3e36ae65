import MedLedgerPostgres
import Testing

@Suite struct PostgresURLTests {
    @Test func fullURLIsRead() throws {
        let url = try PostgresURL(
            "postgres://ledger:secret@db.example:6543/medledger?schema=node_0&sslmode=require", environment: [:])
        #expect(url.user == "ledger")
        #expect(url.password == "secret")
        #expect(url.host == "db.example")
        #expect(url.port == 6543)
        #expect(url.database == "medledger")
        #expect(url.schema == "node_0")
        #expect(url.tls == .require)
        // The password never appears in what is printed.
        #expect(url.description == "postgres://ledger@db.example:6543/medledger?schema=node_0&sslmode=require")
    }

    @Test func defaultsAndPasswordFromTheEnvironment() throws {
        let url = try PostgresURL("postgresql://ledger@[::1]/medledger", environment: ["PGPASSWORD": "pw"])
        #expect(url.host == "::1")
        #expect(url.port == 5432)
        #expect(url.schema == "public")
        #expect(url.tls == .disable)
        #expect(url.password == "pw")
    }

    @Test(arguments: [
        ("mysql://u@h/db", "postgres://"),
        ("postgres://h:5432/db", "no user"),
        ("postgres://u@h:5432/", "one database"),
        ("postgres://u@h:5432/a/b", "one database"),
        ("postgres://u@h/db?schema=Robert'); DROP", "schema"),
        ("postgres://u@h/db?schema=1abc", "schema"),
        ("postgres://u@h/db?sslmode=verify-full", "sslmode"),
        ("postgres://u@h/db?options=-c", "unknown parameter options"),
        ("postgres://u@h:0/db", "port"),
    ])
    func malformedURLsSayWhatIsWrong(_ text: String, _ expected: String) {
        let error = #expect(throws: PostgresURLError.self) { try PostgresURL(text, environment: [:]) }
        #expect(error?.description.contains(expected) == true, "\(error.map(String.init(describing:)) ?? "no error")")
    }
}
