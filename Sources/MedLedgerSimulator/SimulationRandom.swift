/// SplitMix64 (Steele, Lea, Flood 2014): the simulation's only source of randomness. One
/// seeded generator drives every choice, so a seed replays a run exactly. Its own range
/// helpers are used instead of the standard library's, whose algorithms may change.
public struct SimulationRandom: RandomNumberGenerator, Sendable {
    private var state: UInt64

    public init(seed: UInt64) { state = seed }

    public mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// Uniform in 0..<bound (the modulo bias is negligible for the small bounds used here).
    public mutating func below(_ bound: UInt64) -> UInt64 {
        precondition(bound > 0, "empty range")
        return next() % bound
    }

    /// Uniform in `range`.
    public mutating func uniform(_ range: ClosedRange<UInt64>) -> UInt64 {
        range.lowerBound + below(range.upperBound - range.lowerBound + 1)
    }

    /// An index in 0..<count.
    public mutating func index(_ count: Int) -> Int {
        precondition(count > 0, "no elements")
        return Int(below(UInt64(count)))
    }

    /// True with probability permille / 1000.
    public mutating func chance(permille: Int) -> Bool {
        permille > 0 && below(1000) < UInt64(permille)
    }

    public mutating func bytes(_ count: Int) -> [UInt8] {
        (0..<count).map { _ in UInt8(truncatingIfNeeded: next()) }
    }
}
