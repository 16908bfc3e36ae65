import Foundation

/// Reads a document of `docs/spec/` so a spec test can check that the bytes it pins are the
/// bytes the document prints. Shared by the spec tests of every test target.
public enum SpecDocument {
    /// The package root: the nearest folder above this file holding `Package.swift`.
    public static func root(filePath: String = #filePath) throws -> URL {
        var folder = URL(fileURLWithPath: filePath).deletingLastPathComponent()
        while !FileManager.default.fileExists(atPath: folder.appendingPathComponent("Package.swift").path) {
            let parent = folder.deletingLastPathComponent()
            guard parent.path != folder.path else { throw CocoaError(.fileNoSuchFile) }
            folder = parent
        }
        return folder
    }

    public static func text(_ relativePath: String) throws -> String {
        try String(contentsOf: try root().appendingPathComponent(relativePath), encoding: .utf8)
    }

    /// The hex shown in the document's code blocks (fenced or indented), concatenated in
    /// order. On each line, anything up to the last `=` is a label; then come hex tokens until
    /// the first other word, which starts the line's comment.
    public static func hex(_ relativePath: String) throws -> String {
        var inFence = false
        var hex = ""
        for line in try text(relativePath).split(separator: "\n", omittingEmptySubsequences: false) {
            if line.hasPrefix("```") {
                inFence.toggle()
                continue
            }
            guard inFence || line.hasPrefix("    ") else { continue }
            let value = line.split(separator: "=").last ?? line
            for token in value.split(separator: " ") {
                guard token.allSatisfy({ $0.isHexDigit && !$0.isUppercase }) else { break }
                hex += token
            }
        }
        return hex
    }
}
