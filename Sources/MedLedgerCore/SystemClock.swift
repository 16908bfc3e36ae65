import Foundation

// The only reader of the wall clock in the code base. Contracts and consensus rules never
// call it: the node runtime stamps its votes and proposals with it, and clients stamp signed
// HTTP requests. Everything executed or hashed takes time from a block header instead.

/// A reading of some machine's wall clock, in milliseconds since 1970-01-01T00:00:00Z. Typed
/// apart from `ConsensusTime` so that a local clock reading can only enter what is signed,
/// hashed or executed through `ConsensusTime(wallClock:)`, where the crossing is visible.
public struct WallClockTime: Hashable, Comparable, Sendable, CustomStringConvertible {
    public let milliseconds: UInt64
    public init(milliseconds: UInt64) { self.milliseconds = milliseconds }
    public static func < (lhs: Self, rhs: Self) -> Bool { lhs.milliseconds < rhs.milliseconds }
    /// Saturating, like `ConsensusTime.adding`.
    public func adding(milliseconds delta: UInt64) -> WallClockTime {
        let (sum, overflow) = milliseconds.addingReportingOverflow(delta)
        return WallClockTime(milliseconds: overflow ? .max : sum)
    }
    public var description: String { ConsensusTime(wallClock: self).description }
}

extension ConsensusTime {
    /// A validator's or client's clock reading used as a consensus input: a vote's time, a
    /// genesis time, a grant's expiry chosen by a person.
    public init(wallClock: WallClockTime) { self.init(milliseconds: wallClock.milliseconds) }
}

/// The wall clock, read only at the edges (node runtime, HTTP request stamps, the CLI).
public enum SystemClock {
    @Sendable public static func now() -> WallClockTime {
        WallClockTime(milliseconds: UInt64(Date().timeIntervalSince1970 * 1000))
    }
}
