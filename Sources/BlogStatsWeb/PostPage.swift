public import BlogStatsCore
public import BlogStatsStore

/// `/posts/{blog}/{id}`: one post's two panels, its names over time, when it was missing,
/// and exports of exactly what is shown.
public struct PostPage: Sendable {
    public var context: PageContext
    public var grid: BucketGrid
    public var series: PostSeries
    public var freshness: Freshness
    public var blogURL: String?

    public init(
        context: PageContext, grid: BucketGrid, series: PostSeries, freshness: Freshness, blogURL: String? = nil
    ) {
        self.context = context
        self.grid = grid
        self.series = series
        self.freshness = freshness
        self.blogURL = blogURL
    }

    var current: PostSeries.Name? { series.names.last }
    var displayName: String {
        PageSections.name(title: current?.title ?? "", slug: current?.slug ?? "", id: series.id)
    }

    public func html() -> String {
        let clock = context.clock
        let windowTitle = context.window.title(clock: clock)
        var out = PageShell.staleNotice(freshness, clock: clock)
        let back = PageContext.blogPath(context.blog) + HTML.query(context.window.parameters())
        out += "<p class=\"crumbs\"><a href=\"\(back)\">← \(HTML.escape(context.blog))</a></p>"
        out += "<div class=\"heading\"><h1>\(HTML.escape(displayName))</h1><p class=\"subtitle\">"
        if let slug = current?.slug, !slug.isEmpty { out += "<span class=\"slug\">/\(HTML.escape(slug))</span> · " }
        out += "id <code>\(HTML.escape(series.id))</code>"
        if let link = PageSections.postURL(blogURL, slug: current?.slug ?? "") {
            out += " · <a class=\"external\" href=\"\(link)\" rel=\"noopener noreferrer\">read it on the blog ↗</a>"
        }
        out += "</p><p class=\"subtitle\">\(HTML.escape(windowTitle)) · \(StepText.per(grid.step))</p></div>"
        if let open = series.removed.last, open.to == nil {
            out += "<div class=\"notice\">This post has not been on the blog since "
            out += "\(HTML.escape(clock.dateTime(open.from))) (deleted or unpublished).</div>"
        }
        out += WindowControls(context: context, path: PageContext.postPath(context.blog, series.id)).html()
        out += tiles()
        out += PageSections.charts(
            grid: grid, buckets: series.buckets, context: context, removed: series.removed, subject: "“\(displayName)”",
            freshness: freshness)
        out += exports()
        out += history()
        return PageShell.document(
            title: displayName, context: context, freshness: freshness, refresh: context.window.endsNow, main: out)
    }

    func tiles() -> String {
        let views = series.buckets.compactMap(\.views).reduce(0, +)
        let total = series.buckets.last { $0.cumulative != nil }?.cumulative
        var out = "<dl class=\"tiles\">"
        out += PageSections.tile("Views", TopTable.number(views), note: context.window.title(clock: context.clock))
        out += PageSections.tile("Total views", total.map(TopTable.number) ?? "–")
        out += PageSections.tile(
            "First seen", context.clock.date(series.firstSeen), note: context.clock.dateTime(series.firstSeen))
        let resets = series.buckets.filter(\.reset).count
        if resets > 0 { out += PageSections.tile("Resets", String(resets), note: "the counter went down") }
        return out + "</dl>"
    }

    /// The export API's query for exactly this grid: absolute bounds and an explicit step.
    func exportQuery(format: String?) -> String {
        var parameters = [
            ("kind", "series"), ("blog", context.blog), ("id", series.id),
            ("from", Timestamp.format(grid.starts.first ?? grid.end)), ("to", Timestamp.format(grid.end)),
            ("step", StepText.parameter(grid.step)),
        ]
        if let format { parameters.append(("format", format)) }
        return "/api/v1/export.csv" + HTML.query(parameters)
    }

    func exports() -> String {
        "<p class=\"exports\">Download exactly what is shown (\(grid.count) intervals of \(StepText.label(grid.step))): "
            + "<a href=\"\(exportQuery(format: nil))\" download>CSV</a> · "
            + "<a href=\"\(exportQuery(format: "json"))\">JSON</a></p>"
    }

    func history() -> String {
        let clock = context.clock
        var out = "<section class=\"card history\"><h2>Names</h2>"
        out += "<table class=\"names\"><thead><tr><th scope=\"col\">Since</th><th scope=\"col\">Slug</th>"
        out += "<th scope=\"col\">Title</th></tr></thead><tbody>"
        for name in series.names.reversed() {
            out += "<tr><td>\(HTML.escape(clock.dateTime(name.since)))</td>"
            out += "<td class=\"slug\">\(name.slug.isEmpty ? "<em>none</em>" : HTML.escape(name.slug))</td>"
            out += "<td>\(name.title.isEmpty ? "<em>none</em>" : HTML.escape(name.title))</td></tr>"
        }
        out += "</tbody></table><h2>On the blog</h2><ul class=\"presence\">"
        out += "<li>First seen \(HTML.escape(clock.dateTime(series.firstSeen)))</li>"
        for absence in series.removed {
            out += "<li class=\"removed\">Missing from \(HTML.escape(clock.dateTime(absence.from)))"
            out += absence.to.map { " until \(HTML.escape(clock.dateTime($0)))" } ?? ", still missing"
            out += "</li>"
        }
        if series.removed.isEmpty { out += "<li>Never missing from a snapshot since.</li>" }
        return out + "</ul></section>"
    }
}
