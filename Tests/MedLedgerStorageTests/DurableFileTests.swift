import Foundation
import Testing
@testable import MedLedgerStorage

@Suite struct DurableFileTests {
    @Test func replacesWholeFilesAndCleansUpALeftoverTemporary() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("durable-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("state.bin")
        try DurableFile.replace(file, with: [1, 2, 3])
        #expect(try Data(contentsOf: file) == Data([1, 2, 3]))
        // A crash between writing the temporary and renaming it leaves the temporary behind.
        _ = FileManager.default.createFile(atPath: file.path + ".tmp", contents: Data([9]))
        try DurableFile.replace(file, with: [4])
        #expect(try Data(contentsOf: file) == Data([4]))
        #expect(!FileManager.default.fileExists(atPath: file.path + ".tmp"))
    }

    @Test func aMissingDirectoryIsAnIOError() {
        let file = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/state.bin")
        #expect(throws: StorageError.self) { try DurableFile.replace(file, with: [1]) }
    }
}
