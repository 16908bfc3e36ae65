import Foundation

// The only reader of the wall clock in the code base. Contracts and consensus rules never
// call it: the node runtime stamps its votes and proposals with it, and clients stamp signed
// HTTP requests. Everything executed or hashed takes time from a block header instead.

/// The wall clock, read only at the edges (node runtime, HTTP request stamps).
public enum SystemClock {
    @Sendable public static func now() -> ConsensusTime {
        ConsensusTime(milliseconds: UInt64(Date().timeIntervalSince1970 * 1000))
    }
}
