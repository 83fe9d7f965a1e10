public import BlogStatsStore

/// What every dashboard page knows: the clock, the blogs, the one shown and the window.
public struct PageContext: Sendable {
    public var clock: LocalClock
    public var now: Int64
    public var blogs: [BlogSummary]
    public var blog: String
    public var window: DashboardWindow
    /// Show a sign-out button (the reader came in with a session).
    public var signedIn: Bool
    /// Appended to asset URLs so a new version is never served from a stale cache.
    public var assetVersion: String

    public init(
        clock: LocalClock, now: Int64, blogs: [BlogSummary], blog: String, window: DashboardWindow,
        signedIn: Bool = false, assetVersion: String = Dashboard.assetVersion
    ) {
        self.clock = clock
        self.now = now
        self.blogs = blogs
        self.blog = blog
        self.window = window
        self.signedIn = signedIn
        self.assetVersion = assetVersion
    }

    /// `/blogs/NAME`
    public static func blogPath(_ blog: String) -> String { "/blogs/" + HTML.percentEncode(blog) }

    /// `/posts/BLOG/ID`
    public static func postPath(_ blog: String, _ id: String) -> String {
        "/posts/" + HTML.percentEncode(blog) + "/" + HTML.percentEncode(id)
    }

    public var summary: BlogSummary? { blogs.first { $0.name == blog } }
}
