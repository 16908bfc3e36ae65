/// Submit-to-commit latency in each third of a run, by when the transactions were submitted
/// (due, in a paced run). One p99 for a whole run cannot say whether its tail is spread
/// evenly or comes from a few slow seconds, such as the start of a paced run right after a
/// burst; this says which.
public struct LatencyByPart: Sendable, CustomStringConvertible {
    public struct Part: Sendable, Equatable {
        public let transactions: Int
        public let p50Milliseconds: Double
        public let p99Milliseconds: Double
    }

    public let parts: [Part]

    /// - Parameter samples: each committed transaction's submission time and latency, in
    ///   nanoseconds and microseconds. Nil when there are none.
    init?(samples: [(submittedNanos: UInt64, latencyMicros: UInt64)], parts count: Int = 3) {
        guard let first = samples.map(\.submittedNanos).min(), let last = samples.map(\.submittedNanos).max()
        else { return nil }
        let span = max(last - first, 1)
        var buckets = [[UInt64]](repeating: [], count: count)
        for sample in samples {
            // The last instant belongs to the last part, not to one past it.
            let index = min(Int(Double(sample.submittedNanos - first) / Double(span) * Double(count)), count - 1)
            buckets[index].append(sample.latencyMicros)
        }
        parts = buckets.map { bucket in
            let sorted = bucket.sorted()
            return Part(
                transactions: sorted.count, p50Milliseconds: Self.percentile(50, of: sorted),
                p99Milliseconds: Self.percentile(99, of: sorted))
        }
    }

    /// The nearest-rank percentile of sorted microseconds, in milliseconds; 0 for none.
    static func percentile(_ percent: Int, of sorted: [UInt64]) -> Double {
        guard !sorted.isEmpty else { return 0 }
        let rank = (sorted.count * percent + 99) / 100  // ceil(count × percent / 100), at least 1
        return Double(sorted[max(rank, 1) - 1]) / 1_000
    }

    public var description: String {
        let names = ["first", "second", "last"]
        let described = parts.enumerated().map { index, part in
            let name = parts.count == names.count ? names[index] : "part \(index + 1)"
            return String(
                format: "%@ %d tx, p50 %.1f ms, p99 %.1f ms", name, part.transactions, part.p50Milliseconds,
                part.p99Milliseconds)
        }
        return "latency by third of the run (by submission): " + described.joined(separator: "; ")
    }
}
