import Foundation

/// The portal's static files (`Sources/MedLedgerAPI/Portal`, a copied SwiftPM resource), read
/// into memory once when the router is built: a request never touches the file system, so no
/// path a client sends can name a file outside this map.
public struct PortalFiles: Sendable {
    struct File: Sendable {
        let bytes: [UInt8]
        let contentType: String
    }

    /// The served files by their path under `Portal/` ("index.html", "js/app.js").
    let files: [String: File]

    /// The content type of each served extension; a file with any other extension (the
    /// README, editor leftovers) is not served.
    static let contentTypes: [String: String] = [
        "html": "text/html; charset=utf-8",
        "css": "text/css; charset=utf-8",
        "js": "text/javascript; charset=utf-8",
        "json": "application/json",
        "svg": "image/svg+xml",
        "png": "image/png",
        "ico": "image/x-icon",
        "txt": "text/plain; charset=utf-8",
    ]
    /// Bounds on what is loaded: the portal is a few hundred kilobytes; a bundle far beyond
    /// these is a packaging mistake, and the node refuses to hold it rather than grow.
    static let maxFileBytes = 4 << 20
    static let maxTotalBytes = 32 << 20
    static let maxFiles = 1_000

    /// The files of the bundled portal; empty when the bundle has none (then `/` is a 404).
    public static let bundled: PortalFiles = {
        guard let root = Bundle.module.resourceURL?.appendingPathComponent("Portal", isDirectory: true) else {
            return PortalFiles(files: [:])
        }
        return load(from: root)
    }()

    /// Reads the servable files under `root`, within the bounds above (files past a bound
    /// are skipped, in path order, so what is served does not depend on directory order).
    public static func load(from root: URL) -> PortalFiles {
        let manager = FileManager.default
        let rootPath = root.standardizedFileURL.resolvingSymlinksInPath().path
        guard
            let enumerator = manager.enumerator(
                at: root, includingPropertiesForKeys: [.isRegularFileKey, .fileSizeKey], options: [.skipsHiddenFiles])
        else { return PortalFiles(files: [:]) }
        var candidates: [(path: String, url: URL, size: Int)] = []
        for case let url as URL in enumerator {
            guard let values = try? url.resourceValues(forKeys: [.isRegularFileKey, .fileSizeKey]),
                values.isRegularFile == true, let size = values.fileSize, size <= maxFileBytes,
                contentTypes[url.pathExtension.lowercased()] != nil
            else { continue }
            let full = url.standardizedFileURL.resolvingSymlinksInPath().path
            guard full.hasPrefix(rootPath + "/") else { continue }
            candidates.append((String(full.dropFirst(rootPath.count + 1)), url, size))
        }
        var files: [String: File] = [:]
        var total = 0
        for candidate in candidates.sorted(by: { $0.path < $1.path }) {
            guard files.count < maxFiles, total + candidate.size <= maxTotalBytes,
                let data = try? Data(contentsOf: candidate.url), data.count <= maxFileBytes,
                let type = contentTypes[candidate.url.pathExtension.lowercased()]
            else { continue }
            total += data.count
            files[candidate.path] = File(bytes: Array(data), contentType: type)
        }
        return PortalFiles(files: files)
    }

    /// The file a request path names, or nil: only the exact keys of the map match, so `..`,
    /// `.`, empty segments, backslashes and percent-encoded bytes (an encoded slash or dot)
    /// never reach anything.
    func file(at path: String) -> File? {
        guard path.utf8.count <= 512, !path.contains("%"), !path.contains("\\") else { return nil }
        let segments = path.split(separator: "/", omittingEmptySubsequences: false)
        guard segments.allSatisfy({ !$0.isEmpty && $0 != "." && $0 != ".." }) else { return nil }
        return files[path]
    }
}
