import Foundation

/// A small file replaced as a whole and durably: write a temporary beside it, fsync it,
/// rename it over the old one, then fsync the directory. Without the last step the rename
/// may not survive a power loss, and a validator could come back remembering an older vote
/// record than the one it acted on.
public enum DurableFile {
    /// Replaces the file at `url` with `bytes`; on return the new content is on the disk.
    /// - Throws: `StorageError` `.io` naming the step that failed.
    public static func replace(_ url: URL, with bytes: [UInt8]) throws {
        let path = url.path
        let temporary = path + ".tmp"
        BlobFiles.remove(temporary)  // a leftover from a crash between write and rename
        do {
            try BlobFiles.writeAndSync(bytes, to: temporary)
            try BlobFiles.moveIntoPlace(temporary, path)
        } catch {
            BlobFiles.remove(temporary)
            throw error
        }
        try BlobFiles.syncDirectory(url.deletingLastPathComponent().path)
    }
}
