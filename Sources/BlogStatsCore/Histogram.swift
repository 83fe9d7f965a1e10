/// A Prometheus histogram's state: observations counted into buckets by upper bound.
public struct Histogram: Sendable, Equatable {
    /// Upper bounds, ascending; the `+Inf` bucket is implicit.
    public let bounds: [Double]
    /// Observations per bucket, not cumulative; the last entry is the `+Inf` bucket.
    public private(set) var counts: [UInt64]
    public private(set) var sum: Double = 0
    public private(set) var count: UInt64 = 0

    /// Ingest times: a small snapshot takes about a millisecond, 100,000 rows about 150 ms, a
    /// store waiting for a lock up to its busy timeout.
    public static let ingestSecondsBounds: [Double] = [
        0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
    ]

    public init(bounds: [Double]) {
        precondition(zip(bounds, bounds.dropFirst()).allSatisfy { $0 < $1 }, "bounds must ascend")
        precondition(bounds.allSatisfy(\.isFinite), "bounds must be finite (+Inf is implicit)")
        self.bounds = bounds
        counts = [UInt64](repeating: 0, count: bounds.count + 1)
    }

    /// Counts `value` in the first bucket whose bound is at least `value` (bounds are inclusive);
    /// NaN is ignored (it would turn the sum into NaN for good).
    public mutating func observe(_ value: Double) {
        guard !value.isNaN else { return }
        var index = bounds.count
        if let first = bounds.firstIndex(where: { value <= $0 }) { index = first }
        counts[index] += 1
        count += 1
        sum += value
    }

    /// The exposed bucket values: observations at or below each bound, then the total for `+Inf`.
    public var cumulativeCounts: [UInt64] {
        var running: UInt64 = 0
        return counts.map { count in
            running += count
            return running
        }
    }
}
