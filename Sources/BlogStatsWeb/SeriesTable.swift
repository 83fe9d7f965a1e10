public import BlogStatsCore

/// The numbers behind a pair of charts as a table: hidden from sight, read by screen readers.
public struct SeriesTable: Sendable {
    public var caption: String
    public var grid: BucketGrid
    public var buckets: [SeriesBucket]
    public var now: Int64
    public var clock: LocalClock

    public init(caption: String, grid: BucketGrid, buckets: [SeriesBucket], now: Int64, clock: LocalClock) {
        self.caption = caption
        self.grid = grid
        self.buckets = buckets
        self.now = now
        self.clock = clock
    }

    public func html() -> String {
        var out = ""
        out.reserveCapacity(300 + buckets.count * 110)
        out += "<table class=\"visually-hidden\"><caption>\(HTML.escape(caption))</caption>"
        out += "<thead><tr><th scope=\"col\">Interval</th><th scope=\"col\">Views</th>"
        out += "<th scope=\"col\">Total views at its end</th></tr></thead><tbody>"
        for (index, bucket) in buckets.enumerated() {
            let interval = clock.interval(grid.starts[index], grid.bucketEnd(index), step: grid.step)
            out += "<tr><th scope=\"row\">\(HTML.escape(interval))</th><td>"
            if let views = bucket.views {
                out += TopTable.number(views)
                if let gap = bucket.gapSeconds { out += " (includes \(StepText.label(gap)) without snapshots)" }
                if bucket.reset { out += " (the counter went down)" }
            } else {
                out += "no data"
            }
            out += "</td><td>" + (bucket.cumulative.map(TopTable.number) ?? "–") + "</td></tr>"
        }
        out += "</tbody></table>"
        return out
    }
}
