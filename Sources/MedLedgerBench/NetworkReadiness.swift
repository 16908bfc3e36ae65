import Foundation
import MedLedgerCore

/// Waits for a network the bench started itself (`bench --preload`): until every node
/// answers, and until the network has committed new blocks on top of what it loaded.
public enum NetworkReadiness {
    /// What the nodes said when they all answered.
    public struct Serving: Sendable {
        /// Seconds from the call until the last node answered `GET /v1/status`.
        public let seconds: Double
        /// The lowest height among the nodes then.
        public let height: Int
    }

    /// Polls every node's `GET /v1/status` every 200 ms until all answer.
    public static func waitUntilServing(nodes: [URL], timeoutSeconds: Double) async throws -> Serving {
        precondition(!nodes.isEmpty && timeoutSeconds > 0)
        let client = BenchHTTP(nodes: nodes)
        let start = DispatchTime.now().uptimeNanoseconds
        var heights = [Int?](repeating: nil, count: nodes.count)
        while true {
            for index in nodes.indices where heights[index] == nil {
                heights[index] = try? await client.status(node: index).height
            }
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            if heights.allSatisfy({ $0 != nil }) {
                return Serving(seconds: elapsed, height: heights.compactMap { $0 }.min() ?? 0)
            }
            guard elapsed < timeoutSeconds else {
                let silent = nodes.indices.filter { heights[$0] == nil }.map { nodes[$0].absoluteString }
                throw BenchError(
                    "nodes did not answer within \(Int(timeoutSeconds)) s: \(silent.joined(separator: ", "))")
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
    }

    /// Waits until every node is past `height` (the network agreed on new blocks), then
    /// checks that all nodes name the same block hash and app hash at one common height.
    /// - Returns: the common height checked.
    public static func waitForAgreement(nodes: [URL], above height: Int, timeoutSeconds: Double) async throws -> Int {
        let client = BenchHTTP(nodes: nodes)
        let deadline = DispatchTime.now().uptimeNanoseconds + UInt64(timeoutSeconds * 1e9)
        while true {
            var lowest = Int.max
            for index in nodes.indices { lowest = min(lowest, try await client.status(node: index).height) }
            if lowest > height {
                let blocks = try await nodes.indices.asyncMap { try await client.block(height: lowest, node: $0) }
                guard Set(blocks.map(\.hash)).count == 1, Set(blocks.map(\.appHash)).count == 1 else {
                    throw BenchError("the nodes disagree at height \(lowest): block hashes \(blocks.map(\.hash))")
                }
                return lowest
            }
            guard DispatchTime.now().uptimeNanoseconds < deadline else {
                throw BenchError("the network did not commit past height \(height) within \(Int(timeoutSeconds)) s")
            }
            try await Task.sleep(nanoseconds: 200_000_000)
        }
    }
}

/// A bench step that could not be done, in words.
public struct BenchError: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

extension Range where Bound == Int {
    fileprivate func asyncMap<T>(_ transform: (Int) async throws -> T) async rethrows -> [T] {
        var out = [T]()
        for index in self { out.append(try await transform(index)) }
        return out
    }
}
