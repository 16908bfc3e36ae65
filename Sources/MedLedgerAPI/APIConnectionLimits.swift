import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many HTTP connections the API holds open at once, and how long an idle one stays.
///
/// Anyone may connect, and every open connection holds a file descriptor, which the node
/// shares with its peer links, its ledger files and its blobs. Unbounded, a client that opens
/// connections and sends nothing would use up the process's descriptors: the API would stop
/// accepting anyone, and the node could fail to open a blob or a peer's socket. So past
/// `maxConnections` a new connection is closed as soon as it is accepted, and a connection
/// that has completed no part of a request for `idleTimeout` is closed. A request being
/// answered (an event stream, a block wait, a `wait=commit`) is not idle.
public struct APIConnectionLimits: Sendable {
    public var maxConnections: Int
    public var idleTimeout: Duration

    public init(maxConnections: Int, idleTimeout: Duration) {
        precondition(maxConnections >= 1 && idleTimeout > .zero)
        self.maxConnections = maxConnections
        self.idleTimeout = idleTimeout
    }

    /// At most 4,096 connections, and never more than half of the descriptors this process
    /// may open, so the rest stay for the node's own files and peers; 60 s idle (what a
    /// browser or a proxy keeps an idle connection for, about).
    public static var standard: APIConnectionLimits {
        APIConnectionLimits(
            maxConnections: max(16, min(4_096, descriptorLimit() / 2)), idleTimeout: .seconds(60))
    }

    /// The process's soft limit on open descriptors (1,024 when it cannot be read).
    static func descriptorLimit() -> Int {
        var limit = rlimit()
        #if canImport(Glibc)
        let read = getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limit)
        #else
        let read = getrlimit(RLIMIT_NOFILE, &limit)
        #endif
        guard read == 0 else { return 1_024 }
        return Int(clamping: limit.rlim_cur)
    }
}

/// Why a connection was closed as soon as it was accepted.
struct ConnectionLimitReached: Error, CustomStringConvertible {
    let limit: Int
    var description: String { "the API holds its limit of \(limit) open connections" }
}
