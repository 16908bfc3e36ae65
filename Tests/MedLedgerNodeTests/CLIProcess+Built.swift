import Foundation
import MedLedgerTesting
import Testing

extension CLIProcess {
    /// Whether the debug `medledger` exists; records an issue naming the fix when not, so a
    /// test that runs it ends at once with that message instead of a spawn error.
    static func isBuilt() -> Bool {
        guard FileManager.default.fileExists(atPath: binary.path) else {
            Issue.record("build the CLI first: swift build (missing \(binary.path))")
            return false
        }
        return true
    }
}
