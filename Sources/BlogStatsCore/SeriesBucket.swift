/// One bucket of a series, as the API and the charts show it.
public struct SeriesBucket: Sendable, Equatable {
    public var start: Int64
    /// The count at the bucket's last snapshot; nil when there was no snapshot in the bucket
    /// (a gap) or the post was absent then.
    public var cumulative: Int64?
    /// Views gained in the bucket (never negative); nil in a gap.
    public var views: Int64?
    /// Set on the first bucket after a gap: how long the gap was. Its views cover the gap too.
    public var gapSeconds: Int64?
    /// The counter went down in this bucket (a database restored from a backup).
    public var reset = false

    public init(start: Int64, cumulative: Int64?, views: Int64?, gapSeconds: Int64? = nil, reset: Bool = false) {
        self.start = start
        self.cumulative = cumulative
        self.views = views
        self.gapSeconds = gapSeconds
        self.reset = reset
    }
}

/// Where a series stands at the end of a bucket, as read from the store.
public struct SeriesPoint: Sendable, Equatable {
    /// The count then (nil when the post was absent).
    public var cumulative: Int64?
    /// The running total of gains then.
    public var gainedTotal: Int64

    public init(cumulative: Int64?, gainedTotal: Int64) {
        self.cumulative = cumulative
        self.gainedTotal = gainedTotal
    }
}

/// Turns the state at each bucket's end into buckets: views are differences of running totals,
/// so a bucket after a gap carries the gap's views, and a reset shows as views larger than
/// the rise of the count.
public enum Series {
    /// - Parameters:
    ///   - before: the state at the last snapshot before the window, if any.
    ///   - points: one per bucket: the state at the bucket's last snapshot, or nil (no snapshot).
    ///   - detectResets: flag buckets where the count rose less than the views gained.
    public static func buckets(
        grid: BucketGrid, before: SeriesPoint?, points: [SeriesPoint?], detectResets: Bool = true
    ) -> [SeriesBucket] {
        precondition(points.count == grid.count)
        var buckets: [SeriesBucket] = []
        buckets.reserveCapacity(points.count)
        var last = before
        var gapStart: Int64? = nil
        for (index, point) in points.enumerated() {
            let start = grid.starts[index]
            guard let point else {
                if gapStart == nil { gapStart = start }
                buckets.append(SeriesBucket(start: start, cumulative: nil, views: nil))
                continue
            }
            var bucket = SeriesBucket(start: start, cumulative: point.cumulative, views: nil)
            let base = last?.gainedTotal ?? 0
            bucket.views = point.gainedTotal - base
            if let gapStart, last != nil { bucket.gapSeconds = start - gapStart }
            if detectResets, let now = point.cumulative, let then = last?.cumulative, now - then < bucket.views! {
                bucket.reset = true
            }
            buckets.append(bucket)
            last = point
            gapStart = nil
        }
        return buckets
    }
}
