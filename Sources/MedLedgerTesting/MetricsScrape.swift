import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Reads a running node's `/metrics` the way Prometheus would, for tests over real sockets.
public enum MetricsScrape {
    /// The sum of every series of metric `name`, whatever its labels (0 when it has none yet):
    /// a counter like `medledger_http_requests_total{route=…}` summed over its routes, or an
    /// unlabelled one read as it is.
    public static func total(_ name: String, at node: URL) async throws -> Double {
        let (data, _) = try await URLSession.shared.data(from: node.appendingPathComponent("metrics"))
        return String(decoding: data, as: UTF8.self).split(separator: "\n")
            .filter { $0.hasPrefix(name + " ") || $0.hasPrefix(name + "{") }
            .compactMap { $0.split(separator: " ").last.flatMap { Double($0) } }
            .reduce(0, +)
    }
}
