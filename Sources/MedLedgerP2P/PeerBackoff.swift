/// Exponential reconnect delay: 100 ms, doubling, capped at 5 s; back to 100 ms after a
/// connection authenticates, so a brief outage is repaired quickly and a long one costs
/// one connection attempt every 5 s.
struct PeerBackoff: Sendable {
    static let initial = Duration.milliseconds(100)
    static let cap = Duration.seconds(5)

    private(set) var current = PeerBackoff.initial

    /// The delay to wait now; the next call returns twice as much, up to the cap.
    mutating func next() -> Duration {
        defer { current = min(current * 2, Self.cap) }
        return current
    }

    mutating func reset() { current = Self.initial }
}
