/// How long the mirror waits before trying again: doubling from `initial` up to `maximum`
/// after each failure in a row, or exactly what InfluxDB asked for with `Retry-After`
/// (bounded by `maximumRetryAfter`). A success starts over.
public struct Backoff: Sendable, Equatable {
    public var initial: Double = 1
    public var maximum: Double = 300
    public var maximumRetryAfter: Double = 3600
    /// Failures in a row.
    public private(set) var failures = 0

    public init(initial: Double = 1, maximum: Double = 300) {
        self.initial = initial
        self.maximum = maximum
    }

    /// Records a failure; returns the seconds to wait before the next attempt.
    public mutating func failed(retryAfter: Double? = nil) -> Double {
        failures += 1
        if let retryAfter { return min(max(retryAfter, 0), maximumRetryAfter) }
        var delay = initial
        for _ in 1..<failures where delay < maximum { delay *= 2 }
        return min(delay, maximum)
    }

    public mutating func succeeded() { failures = 0 }
}
