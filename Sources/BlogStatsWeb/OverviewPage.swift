public import BlogStatsCore
import BlogStatsStore

/// `/` and `/blogs/{blog}`: the blog's two charts, its numbers and its most read posts.
public struct OverviewPage: Sendable {
    public var context: PageContext
    public var grid: BucketGrid
    public var buckets: [SeriesBucket]
    /// Views in the window of the same length just before (nil: unknown).
    public var previousViews: Int64?
    public var posts: [TopPostRow]
    public var freshness: Freshness
    /// The blog's address (`--blog-url`): posts link to `URL/slug`.
    public var blogURL: String?
    /// The post filter (`q`) and list length (`limit`) asked for.
    public var filter: String?
    public var limit: Int

    public init(
        context: PageContext, grid: BucketGrid, buckets: [SeriesBucket], previousViews: Int64?,
        posts: [TopPostRow], freshness: Freshness, blogURL: String? = nil, filter: String? = nil,
        limit: Int = 20
    ) {
        self.context = context
        self.grid = grid
        self.buckets = buckets
        self.previousViews = previousViews
        self.posts = posts
        self.freshness = freshness
        self.blogURL = blogURL
        self.filter = filter
        self.limit = limit
    }

    static let defaultLimit = 20

    var path: String { PageContext.blogPath(context.blog) }

    /// Parameters of this page besides the window.
    var extra: [(String, String)] {
        var extra: [(String, String)] = []
        if let filter { extra.append(("q", filter)) }
        if limit != Self.defaultLimit { extra.append(("limit", String(limit))) }
        return extra
    }

    public func html() -> String {
        let clock = context.clock
        let windowTitle = context.window.title(clock: clock)
        var out = PageShell.staleNotice(freshness, clock: clock)
        out += "<div class=\"heading\"><h1>\(HTML.escape(context.blog))</h1>"
        out += "<p class=\"subtitle\">\(HTML.escape(windowTitle)) · \(StepText.per(grid.step))</p></div>"
        out += WindowControls(context: context, path: path, extra: extra).html()
        out += tiles()
        out += PageSections.charts(
            grid: grid, buckets: buckets, context: context, removed: [], subject: "the blog",
            freshness: freshness)
        out += topPosts()
        return PageShell.document(
            title: "\(context.blog) · \(windowTitle)", context: context, freshness: freshness,
            refresh: context.window.endsNow, main: out)
    }

    func tiles() -> String {
        let views = buckets.compactMap(\.views).reduce(0, +)
        let total =
            context.window.endsNow
            ? context.summary?.totalViews : buckets.last { $0.cumulative != nil }?.cumulative
        var out = "<dl class=\"tiles\">"
        out += PageSections.tile("Views", TopTable.number(views), change: previousViews.map { (views, $0) })
        out += PageSections.tile("Total views", total.map(TopTable.number) ?? "–")
        out += PageSections.tile("Posts", context.summary.map { TopTable.number(Int64($0.posts)) } ?? "–")
        let last = freshness.lastSnapshot.map { context.clock.dateTime($0) } ?? "none yet"
        out += PageSections.tile("Last snapshot", freshness.age.map(LocalClock.ago) ?? "–", note: last)
        return out + "</dl>"
    }

    func topPosts() -> String {
        var out = "<section class=\"card top-posts\" aria-labelledby=\"top-title\"><div class=\"card-head\">"
        out += "<h2 id=\"top-title\">Top posts</h2>"
        out += "<form method=\"get\" action=\"\(path)\" class=\"filter\" role=\"search\">"
        out += WindowControls(context: context, path: path).hidden(context.window.parameters())
        out += "<input type=\"search\" name=\"q\" placeholder=\"Filter by title or slug\" aria-label=\"Filter posts\""
        out += " value=\"\(HTML.escape(filter ?? ""))\"></form></div>"
        guard !posts.isEmpty else {
            let reason = filter == nil ? "No posts in this window." : "No post matches this filter."
            return out + "<p class=\"empty\">\(reason)</p></section>"
        }
        out += "<div class=\"table-scroll\"><table class=\"posts\"><thead><tr><th class=\"rank\" scope=\"col\">#</th>"
        out += "<th scope=\"col\">Post</th><th class=\"num\" scope=\"col\">Views</th>"
        out += "<th class=\"num\" scope=\"col\">Change</th><th class=\"num total\" scope=\"col\">Total</th>"
        out += "<th class=\"trend\" scope=\"col\">Trend</th></tr></thead><tbody>"
        let windowQuery = HTML.query(context.window.parameters())
        for (index, row) in posts.enumerated() {
            let post = row.post
            let name = PageSections.name(title: post.title, slug: post.slug, id: post.id)
            out += "<tr><td class=\"rank\">\(index + 1)</td><td class=\"post\">"
            out += "<a class=\"title\" href=\"\(PageContext.postPath(context.blog, post.id))\(windowQuery)\">"
            out += HTML.escape(name) + "</a>"
            out += "<span class=\"meta\">"
            if !post.slug.isEmpty { out += "<span class=\"slug\">/\(HTML.escape(post.slug))</span>" }
            if let link = PageSections.postURL(blogURL, slug: post.slug) {
                out += "<a class=\"external\" href=\"\(link)\" rel=\"noopener noreferrer\">on the blog ↗</a>"
            }
            out += "</span></td><td class=\"num\">\(TopTable.number(post.views))</td>"
            out += PageSections.changeCell(post.views, post.previousViews)
            out += "<td class=\"num total\">"
            out += post.total.map(TopTable.number) ?? "<span class=\"badge\">removed</span>"
            out += "</td><td class=\"trend\">\(Sparkline(values: row.trend, subject: name).svg())</td></tr>"
        }
        out += "</tbody></table></div>"
        if posts.count >= limit, let next = [50, 100, 200, 500].first(where: { $0 > limit }) {
            let more = context.window.parameters() + (filter.map { [("q", $0)] } ?? []) + [("limit", String(next))]
            out += "<p class=\"more\"><a href=\"\(path)\(HTML.query(more))\">Show \(next) posts</a></p>"
        }
        return out + "</section>"
    }
}
