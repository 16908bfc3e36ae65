import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The POSIX calls `FileBlobStore` needs and Foundation does not offer: fsync of a file and
/// of a directory, and reads that tell "absent" apart from "unreadable".
enum BlobFiles {
    /// Creates `path` unless it exists; syncs `parent` when it did not, so the new
    /// directory survives a crash along with the blob renamed into it.
    static func makeDirectory(_ path: String, parent: String) throws {
        if mkdir(path, 0o755) == 0 {
            try syncDirectory(parent)
        } else if errno != EEXIST {
            throw failure("create directory", path)
        }
    }

    /// Writes all of `bytes` to a new file at `path` and syncs it to the disk.
    static func writeAndSync(_ bytes: [UInt8], to path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("create", path) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, at: nil, path: path)
        guard fsync(descriptor) == 0 else { throw failure("fsync", path) }
    }

    /// Overwrites `bytes` at `offset` of the existing file at `path` and syncs its data
    /// (`fdatasync`: within the file's size nothing else has to reach the disk).
    static func overwriteAndSyncData(_ bytes: [UInt8], at offset: Int, in path: String) throws {
        let descriptor = open(path, O_WRONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open", path) }
        defer { close(descriptor) }
        try writeAll(bytes, to: descriptor, at: offset, path: path)
        guard fdatasync(descriptor) == 0 else { throw failure("fdatasync", path) }
    }

    /// Writes all of `bytes` at the descriptor's position, or at `offset`, retrying on EINTR.
    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, at offset: Int?, path: String) throws {
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                let start = buffer.baseAddress! + written
                let length = buffer.count - written
                return if let offset {
                    pwrite(descriptor, start, length, off_t(offset + written))
                } else {
                    write(descriptor, start, length)
                }
            }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("write", path)
            }
            written += count
        }
    }

    /// The whole file at `path`, or nil when there is no such file.
    /// - Throws: `StorageError` `.io` when it cannot be read, `.corruptData` when it is
    ///   larger than `maxBytes` (no blob that large was ever written).
    static func readAll(_ path: String, maxBytes: Int) throws -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            if errno == ENOENT { return nil }
            throw failure("open", path)
        }
        defer { close(descriptor) }
        var bytes = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress!, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure("read", path)
            }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maxBytes else {
                throw StorageError(.corruptData, "read \(path): larger than \(maxBytes) bytes")
            }
        }
    }

    /// Atomically replaces whatever is at `destination` with `source`.
    static func moveIntoPlace(_ source: String, _ destination: String) throws {
        guard rename(source, destination) == 0 else { throw failure("rename to \(destination)", source) }
    }

    static func syncDirectory(_ path: String) throws {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure("open directory", path) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure("fsync directory", path) }
    }

    /// Removes a file, ignoring errors: used only to clean up after another failure.
    static func remove(_ path: String) { unlink(path) }

    /// The names in a directory.
    static func list(_ path: String) throws -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path)
        } catch {
            throw StorageError(.io, "list \(path): \(error.localizedDescription)")
        }
    }

    private static func failure(_ operation: String, _ path: String) -> StorageError {
        StorageError(.io, "\(operation) \(path): \(String(cString: strerror(errno)))")
    }
}
