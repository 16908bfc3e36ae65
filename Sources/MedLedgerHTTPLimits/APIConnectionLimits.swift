import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// How many HTTP connections a server (the node's API, the FHIR gateway) holds open at
/// once, how many of them one client address may hold, and how long an idle one stays.
///
/// Anyone may connect, and every open connection holds a file descriptor, which the node
/// shares with its peer links, its ledger files and its blobs. Unbounded, a client that opens
/// connections and sends nothing would use up the process's descriptors: the API would stop
/// accepting anyone, and the node could fail to open a blob or a peer's socket. So past
/// `maxConnections` a new connection is closed as soon as it is accepted, and a connection
/// that has completed no part of a request for `idleTimeout` is closed. A request being
/// answered (an event stream, a block wait, a `wait=commit`) is not idle.
///
/// Within that, one client address (an IPv6 client's /64) may hold `maxConnectionsPerAddress`:
/// a single client could otherwise take every place and keep everyone else out until its
/// connections went idle.
public struct APIConnectionLimits: Sendable {
    public var maxConnections: Int
    public var maxConnectionsPerAddress: Int
    public var idleTimeout: Duration

    /// - Parameter maxConnectionsPerAddress: 1 through `maxConnections`; nil: `maxConnections`.
    public init(maxConnections: Int, maxConnectionsPerAddress: Int? = nil, idleTimeout: Duration) {
        precondition(maxConnections >= 1 && idleTimeout > .zero)
        self.maxConnections = maxConnections
        self.maxConnectionsPerAddress = maxConnectionsPerAddress ?? maxConnections
        precondition((1...maxConnections).contains(self.maxConnectionsPerAddress))
        self.idleTimeout = idleTimeout
    }

    /// At most 4,096 connections, and never more than half of the descriptors this process
    /// may open, so the rest stay for the node's own files and peers; an eighth of them (at
    /// least 16) from one address, so it takes eight addresses to fill the API, while a
    /// browser opens about six connections to a host; 60 s idle (what a browser or a proxy
    /// keeps an idle connection for, about).
    public static var standard: APIConnectionLimits { standard(perAddress: nil) }

    /// The standard limits with `perAddress` connections from one address (nil: the standard
    /// eighth; at most the total). For a node behind a reverse proxy, whose clients all
    /// arrive from the proxy's address.
    public static func standard(perAddress: Int?) -> APIConnectionLimits {
        let total = max(16, min(4_096, descriptorLimit() / 2))
        let perAddress = min(total, max(1, perAddress ?? max(16, total / 8)))
        return APIConnectionLimits(
            maxConnections: total, maxConnectionsPerAddress: perAddress, idleTimeout: .seconds(60))
    }

    /// The process's soft limit on open descriptors (1,024 when it cannot be read).
    package static func descriptorLimit() -> Int {
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
