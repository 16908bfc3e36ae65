import Foundation
import Testing
@testable import MedLedgerStorage

/// The validator's records, written in place: the newest intact slot is what a restart reads,
/// a write torn by a crash falls back to the record before, and nothing is renamed once the
/// file exists.
@Suite struct AlternatingSlotFileTests {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("slots-\(UUID().uuidString)")

    init() throws {
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    var url: URL { directory.appendingPathComponent("record.bin") }

    func open() throws -> AlternatingSlotFile { try AlternatingSlotFile(url: url, maxRecordBytes: 100_000) }

    func inode() throws -> Int {
        try #require(try FileManager.default.attributesOfItem(atPath: url.path)[.systemFileNumber] as? Int)
    }

    @Test func theNewestRecordIsReadBackAndWritesAfterTheFirstStayInPlace() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try open()
        #expect(file.contents == .absent)
        try file.write([1, 2, 3])
        let made = try inode()
        let size = try Data(contentsOf: url).count
        for round in 0..<5 { try file.write([UInt8](repeating: UInt8(round), count: 10 + round)) }
        #expect(try open().contents == .record([UInt8](repeating: 4, count: 14)))
        #expect(try inode() == made, "no new file, no rename")
        #expect(try Data(contentsOf: url).count == size, "no change of size")
        var reopened = try open()
        try reopened.write([])
        #expect(try open().contents == .record([]))
    }

    @Test func aTornWriteFallsBackToTheRecordBefore() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try open()
        try file.write(Array("first".utf8))
        try file.write(Array("second".utf8))
        // "second" is sequence 2, in slot 0: damage one byte of it, as a crash mid-write would.
        var bytes = [UInt8](try Data(contentsOf: url))
        let slotBytes = (bytes.count - AlternatingSlotFile.headerBytes) / 2
        let secondAt = AlternatingSlotFile.headerBytes + AlternatingSlotFile.slotHeaderBytes
        #expect(Array(bytes[secondAt..<secondAt + 6]) == Array("second".utf8))
        bytes[secondAt + 2] ^= 0xFF
        try Data(bytes).write(to: url)
        var restarted = try open()
        #expect(restarted.contents == .record(Array("first".utf8)))
        // The next write goes to the damaged slot, so "first" stays until it has landed.
        try restarted.write(Array("third".utf8))
        let after = [UInt8](try Data(contentsOf: url))
        let firstAt = AlternatingSlotFile.headerBytes + slotBytes + AlternatingSlotFile.slotHeaderBytes
        #expect(Array(after[firstAt..<firstAt + 5]) == Array("first".utf8))
        #expect(try open().contents == .record(Array("third".utf8)))
    }

    @Test func aRecordLargerThanASlotRemakesTheFileWithLargerSlots() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try open()
        try file.write([7])
        let small = try Data(contentsOf: url).count
        let large = [UInt8](repeating: 9, count: 20_000)
        try file.write(large)
        #expect(try Data(contentsOf: url).count > small)
        #expect(try open().contents == .record(large))
        let grown = try inode()
        try file.write([8])
        #expect(try open().contents == .record([8]))
        #expect(try inode() == grown)
    }

    @Test func aRecordOverTheBoundIsRefusedAndTheNewestStays() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try open()
        try file.write([1])
        #expect(throws: StorageError.self) { try file.write([UInt8](repeating: 0, count: 100_001)) }
        #expect(try open().contents == .record([1]))
    }

    @Test func aFileOfAnotherLayoutIsHandedBackWholeAndReplacedOnWrite() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data([3, 0, 1]).write(to: url)
        var file = try open()
        #expect(file.contents == .other([3, 0, 1]))
        try file.write([5])
        #expect(try open().contents == .record([5]))
    }

    @Test func aFileInThisLayoutWithNoIntactSlotIsAnError() throws {
        defer { try? FileManager.default.removeItem(at: directory) }
        var file = try open()
        try file.write([1])
        var bytes = [UInt8](try Data(contentsOf: url))
        for index in AlternatingSlotFile.headerBytes..<bytes.count { bytes[index] = 0xAB }
        try Data(bytes).write(to: url)
        #expect(throws: StorageError.self) { _ = try open() }
        try Data(bytes.dropLast()).write(to: url)  // a size that is not two slots
        #expect(throws: StorageError.self) { _ = try open() }
        for index in 8..<16 { bytes[index] = 0xFF }  // a slot size no file has
        try Data(bytes).write(to: url)
        #expect(throws: StorageError.self) { _ = try open() }
    }
}
