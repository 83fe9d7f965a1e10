public import BlogStatsStore

/// A row of the overview's top-posts table: the post and its views per interval.
public struct TopPostRow: Sendable {
    public var post: TopPost
    /// Views per interval across the window, for the sparkline (nil: no data).
    public var trend: [Int64?]

    public init(post: TopPost, trend: [Int64?]) {
        self.post = post
        self.trend = trend
    }
}
