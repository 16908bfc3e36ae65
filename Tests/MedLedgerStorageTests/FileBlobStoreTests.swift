import Foundation
import MedLedgerCore
import MedLedgerStorage
import Testing

@Suite struct FileBlobStoreTests {
    let directory: TemporaryDirectory
    let blobs: FileBlobStore

    init() throws {
        directory = try TemporaryDirectory()
        blobs = try FileBlobStore(dataDirectory: directory.url)
    }

    @Test func putThenGetByContentAddress() throws {
        let bytes = Array("ciphertext of a report".utf8)
        let address = try blobs.put(bytes)
        #expect(address == Hash256.of(bytes))
        #expect(try blobs.get(address) == bytes)
        #expect(blobs.contains(address))
        #expect(blobs.verify(address))
        let hex = address.hex
        let expectedPath = directory.url.path + "/blobs/\(hex.prefix(2))/\(hex)"
        #expect(blobs.path(for: address) == expectedPath)
        #expect(FileManager.default.fileExists(atPath: expectedPath))
    }

    @Test func putIsIdempotent() throws {
        let bytes: [UInt8] = [1, 2, 3]
        #expect(try blobs.put(bytes) == blobs.put(bytes))
        #expect(try blobs.allAddresses() == [Hash256.of(bytes)])
        #expect(try blobs.removeTemporaryFiles() == 0)
    }

    @Test func emptyBlobIsStored() throws {
        let address = try blobs.put([])
        #expect(address == Hash256.empty)
        #expect(try blobs.get(address) == [])
        #expect(blobs.verify(address))
    }

    @Test func missingBlobIsAbsent() throws {
        let address = Hash256.of([42])
        #expect(try blobs.get(address) == nil)
        #expect(!blobs.contains(address))
        #expect(!blobs.verify(address))
    }

    @Test func tamperedBlobIsDetectedAndRepairedByPut() throws {
        let bytes = Array(repeating: UInt8(0xab), count: 100_000)
        let address = try blobs.put(bytes)
        var tampered = bytes
        tampered[50_000] ^= 1
        try Data(tampered).write(to: URL(fileURLWithPath: blobs.path(for: address)))

        #expect(!blobs.verify(address))
        let error = #expect(throws: StorageError.self) { try blobs.get(address) }
        #expect(error?.kind == .corruptData)
        #expect(error?.message.contains(address.hex) == true)

        try blobs.put(bytes)
        #expect(blobs.verify(address))
        #expect(try blobs.get(address) == bytes)
    }

    @Test func oversizedBlobIsRejected() throws {
        let bytes = [UInt8](repeating: 0, count: Limits.blobMaxBytes + 1)
        let error = #expect(throws: StorageError.self) { try blobs.put(bytes) }
        #expect(error?.kind == .tooLarge)
        #expect(try blobs.allAddresses().isEmpty)
    }

    @Test func allAddressesIsSortedAndSkipsStrayFiles() throws {
        let addresses = try (0..<20).map { try blobs.put([UInt8($0)]) }
        let fanOut = URL(fileURLWithPath: blobs.path(for: addresses[0])).deletingLastPathComponent()
        try Data([1]).write(to: fanOut.appendingPathComponent(".tmp-interrupted-put"))
        try Data([2]).write(to: fanOut.appendingPathComponent("notes.txt"))

        #expect(try blobs.allAddresses() == addresses.sorted())
        #expect(try blobs.removeTemporaryFiles() == 1)
        let reopened = try FileBlobStore(dataDirectory: directory.url)
        #expect(try reopened.allAddresses() == addresses.sorted())
    }
}
