import BlogStatsCore
import BlogStatsStore
import BlogStatsWeb

/// Values the rendering tests draw: an hour-step day with a gap, a reset and a bucket after
/// the gap, and titles written to break out of every place they land.
enum Fixtures {
    /// 2026-12-03T00:00:00Z
    static let day: Int64 = 1_796_256_000
    static let clock = LocalClock(zone: "UTC")

    static let hostileTitle = "<script>alert(\"x\")</script>\n' onmouseover='steal()' </svg></title><b>&amp;"
    static let hostileSlug = "a\"b<c>/d e?f=1&g"
    static let hostileID = "id/<i>\"&"

    /// Escaped as HTML.escape writes it (the line break becomes a space).
    static let escapedTitle =
        "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &#39; onmouseover=&#39;steal()&#39; &lt;/svg&gt;&lt;/title&gt;&lt;b&gt;&amp;amp;"

    /// Twelve hourly buckets: data, data, gap, gap, data (after the gap), reset, data… and the
    /// last bucket still running at `now`.
    static let grid = BucketGrid(from: day, to: day + 12 * 3600, step: 3600)
    static let buckets: [SeriesBucket] = [
        SeriesBucket(start: day, cumulative: 100, views: 10),
        SeriesBucket(start: day + 3600, cumulative: 130, views: 30),
        SeriesBucket(start: day + 2 * 3600, cumulative: nil, views: nil),
        SeriesBucket(start: day + 3 * 3600, cumulative: nil, views: nil),
        SeriesBucket(start: day + 4 * 3600, cumulative: 190, views: 60, gapSeconds: 7200),
        SeriesBucket(start: day + 5 * 3600, cumulative: 20, views: 20, reset: true),
        SeriesBucket(start: day + 6 * 3600, cumulative: 40, views: 20),
        SeriesBucket(start: day + 7 * 3600, cumulative: 40, views: 0),
        SeriesBucket(start: day + 8 * 3600, cumulative: 1_250, views: 1_210),
        SeriesBucket(start: day + 9 * 3600, cumulative: 1_300, views: 50),
        SeriesBucket(start: day + 10 * 3600, cumulative: 1_301, views: 1),
        SeriesBucket(start: day + 11 * 3600, cumulative: 1_310, views: 9),
    ]
    static let now = day + 11 * 3600 + 1800

    static let window = DashboardWindow(
        from: day, to: day + 12 * 3600, fromText: "2026-12-03T00:00", toText: "2026-12-03T12:00", requestedStep: 3600)

    static func context(blogs: [String] = ["default"]) -> PageContext {
        PageContext(
            clock: clock, now: now,
            blogs: blogs.map { BlogSummary(name: $0, posts: 2, totalViews: 1_310, lastSnapshot: now - 60) },
            blog: blogs[0], window: window)
    }

    static func chart(removed: [PostSeries.Absence] = []) -> SeriesChart {
        SeriesChart(grid: grid, buckets: buckets, now: now, clock: clock, removed: removed, label: "views")
    }
}
