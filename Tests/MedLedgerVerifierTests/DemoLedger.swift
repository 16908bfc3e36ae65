import Foundation
import MedLedgerDemo
import MedLedgerStorage

/// A ledger to check and tamper with: the demo's story, written to a fresh temporary directory.
func runDemo() async throws -> (DataDirectory, DemoStory.Outcome) {
    let directory = DataDirectory(
        FileManager.default.temporaryDirectory
            .appendingPathComponent("medledger-verify-\(UUID().uuidString)"))
    return (directory, try await DemoStory(directory: directory, say: { _ in }).run())
}
