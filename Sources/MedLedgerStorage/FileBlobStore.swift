import Foundation
import MedLedgerCore

/// A content-addressed store of blobs (report ciphertexts): each blob lives at
/// `<dataDir>/blobs/<first two hex digits>/<64 hex digits of its SHA-256>`.
///
/// The two-digit fan-out keeps directories small. A blob is written to a temporary file,
/// synced, and renamed over its address, so a crash never leaves a partial blob under an
/// address, and an address always names exactly its bytes. Safe to use from any thread:
/// the store holds no mutable state, and concurrent puts of the same bytes rename
/// identical files over each other.
public struct FileBlobStore: Sendable {
    /// The `blobs` directory.
    public let directory: URL

    /// Opens the blob store in `dataDirectory`, creating `<dataDirectory>/blobs` if needed.
    /// - Throws: `StorageError` (`.io`) when the directory cannot be created.
    public init(dataDirectory: URL) throws {
        directory = dataDirectory.appendingPathComponent("blobs", isDirectory: true)
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        } catch {
            throw StorageError(.io, "create blob directory \(directory.path): \(error.localizedDescription)")
        }
    }

    /// Stores `bytes` under their SHA-256 and returns that address. Storing bytes that are
    /// already present does nothing, except that it repairs a damaged copy.
    /// - Throws: `StorageError` `.tooLarge` over `Limits.blobMaxBytes`; `.io` when writing fails.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> Hash256 {
        guard bytes.count <= Limits.blobMaxBytes else {
            throw StorageError(.tooLarge, "put blob: \(bytes.count) bytes exceeds limit \(Limits.blobMaxBytes)")
        }
        let address = Hash256.of(bytes)
        if verify(address) { return address }
        let fanOut = fanOutPath(for: address)
        try BlobFiles.makeDirectory(fanOut, parent: directory.path)
        // Same directory as the final name, so the rename stays on one file system and is atomic.
        let temporaryPath = fanOut + "/\(Self.temporaryPrefix)\(address.hex)-\(UInt64.random(in: 0...UInt64.max))"
        do {
            try BlobFiles.writeAndSync(bytes, to: temporaryPath)
            try BlobFiles.moveIntoPlace(temporaryPath, path(for: address))
        } catch {
            BlobFiles.remove(temporaryPath)
            throw error
        }
        // The rename is durable only once the directory entry is.
        try BlobFiles.syncDirectory(fanOut)
        return address
    }

    /// The blob at `address`, or nil when it is not stored.
    /// - Throws: `StorageError` `.corruptData` when the stored bytes no longer hash to
    ///   `address` (so damaged ciphertext is never handed out); `.io` when reading fails.
    public func get(_ address: Hash256) throws -> [UInt8]? {
        let filePath = path(for: address)
        guard let bytes = try BlobFiles.readAll(filePath, maxBytes: Limits.blobMaxBytes) else { return nil }
        let actual = Hash256.of(bytes)
        guard actual == address else {
            throw StorageError(.corruptData, "blob \(address.hex) at \(filePath): content hashes to \(actual.hex)")
        }
        return bytes
    }

    /// The size of the file stored at `address`, without reading it; nil when there is none.
    public func sizeBytes(of address: Hash256) -> Int? {
        (try? FileManager.default.attributesOfItem(atPath: path(for: address)))?[.size] as? Int
    }

    /// True when a file is stored at `address` (without checking its content; see `verify`).
    public func contains(_ address: Hash256) -> Bool {
        FileManager.default.fileExists(atPath: path(for: address))
    }

    /// True when the blob at `address` is stored and its content still hashes to `address`.
    public func verify(_ address: Hash256) -> Bool {
        let filePath = path(for: address)
        guard let bytes = try? BlobFiles.readAll(filePath, maxBytes: Limits.blobMaxBytes) else { return false }
        return Hash256.of(bytes) == address
    }

    /// The address of every stored blob, sorted. Temporary and foreign files are skipped.
    /// - Throws: `StorageError` (`.io`) when a directory cannot be listed.
    public func allAddresses() throws -> [Hash256] {
        var addresses = [Hash256]()
        for fanOut in try BlobFiles.list(directory.path) where fanOut.utf8.count == 2 {
            for name in try BlobFiles.list(directory.path + "/" + fanOut) {
                guard let address = Hash256(hex: name), address.hex == name, name.hasPrefix(fanOut) else { continue }
                addresses.append(address)
            }
        }
        return addresses.sorted()
    }

    /// Deletes temporary files left by puts that a crash interrupted. Call at startup,
    /// before any `put`, since it would also delete the files of puts in progress.
    /// - Returns: how many files were removed.
    @discardableResult
    public func removeTemporaryFiles() throws -> Int {
        var removed = 0
        for fanOut in try BlobFiles.list(directory.path) where fanOut.utf8.count == 2 {
            let fanOutPath = directory.path + "/" + fanOut
            for name in try BlobFiles.list(fanOutPath) where name.hasPrefix(Self.temporaryPrefix) {
                BlobFiles.remove(fanOutPath + "/" + name)
                removed += 1
            }
        }
        return removed
    }

    /// Where the blob with `address` is (or would be) stored.
    public func path(for address: Hash256) -> String {
        fanOutPath(for: address) + "/" + address.hex
    }

    private func fanOutPath(for address: Hash256) -> String {
        directory.path + "/" + String(address.hex.prefix(2))
    }

    private static let temporaryPrefix = ".tmp-"
}

extension FileBlobStore {
    /// Deletes the blob at `address` (a blob no report points to, being collected).
    public func remove(_ address: Hash256) {
        BlobFiles.remove(path(for: address))
    }
}
