import MedLedgerTesting
import Testing

/// `medledger node start --api-connections-per-address` from the command line: a value that
/// is not a number, out of range or too large for an integer is refused by name before the
/// node opens its data directory (the one given here does not exist).
@Suite struct NodeStartOptionTests {
    @Test(arguments: [
        (["--api-connections-per-address", "abc"], "'abc' is invalid for '--api-connections-per-address"),
        (
            ["--api-connections-per-address", "99999999999999999999999"],
            "is invalid for '--api-connections-per-address"
        ),
        (["--api-connections-per-address", "0"], "--api-connections-per-address must be 1-4096, got 0"),
        (["--api-connections-per-address=-3"], "--api-connections-per-address must be 1-4096, got -3"),
        (["--api-connections-per-address", "4097"], "--api-connections-per-address must be 1-4096, got 4097"),
    ])
    func badValuesAreRefusedByName(_ arguments: [String], _ message: String) throws {
        let (status, text) = try CLIProcess.runToEnd(
            ["node", "start", "--data-dir", "/nonexistent/medledger-option-test"] + arguments)

        #expect(status != 0, "\(text)")
        #expect(text.contains(message), "\(text)")
        #expect(!text.contains("cannot start node"), "refused before opening the data directory: \(text)")
    }
}
