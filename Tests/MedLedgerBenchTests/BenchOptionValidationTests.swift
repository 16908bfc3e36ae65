import MedLedgerTesting
import Testing

/// `medledger bench --send-every-ms` from the command line: a value that is not a number, out
/// of range, too large for an integer, or given to a run that is not paced is refused by name
/// before the bench contacts any node (the URL given here has nothing listening).
@Suite struct BenchOptionValidationTests {
    @Test(arguments: [
        (["--send-every-ms", "abc", "--rate", "5"], "'abc' is invalid for '--send-every-ms"),
        (["--send-every-ms", "99999999999999999999999", "--rate", "5"], "is invalid for '--send-every-ms"),
        (["--send-every-ms", "0", "--rate", "5"], "--send-every-ms must be 1-1000"),
        (["--send-every-ms", "5000", "--rate", "5"], "--send-every-ms must be 1-1000"),
        (["--send-every-ms", "10"], "--send-every-ms paces --rate or --half-load runs of --workload signatures"),
    ])
    func badValuesAreRefusedByName(_ arguments: [String], _ message: String) throws {
        let (status, text) = try CLIProcess.runToEnd(["bench", "--node", "http://127.0.0.1:1"] + arguments)

        #expect(status != 0, "\(text)")
        #expect(text.contains(message), "\(text)")
        #expect(!text.contains("bench failed"), "refused before contacting a node: \(text)")
    }
}
