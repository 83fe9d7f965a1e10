import BlogStatsCore
import BlogStatsStore

/// Pieces the overview and the post page share: the pair of charts, tiles, change cells, names.
enum PageSections {
    /// Views per interval (bars) and total views (line), with a legend for what needs one and
    /// the numbers as a hidden table.
    static func charts(
        grid: BucketGrid, buckets: [SeriesBucket], context: PageContext, removed: [PostSeries.Absence],
        subject: String, freshness: Freshness
    ) -> String {
        let clock = context.clock
        let per = StepText.per(grid.step)
        // A silence too short for the "stopped arriving" notice is no outage on a chart either.
        let quiet = freshness.silenceLimit
        let bars = SeriesChart(
            grid: grid, buckets: buckets, now: context.now, clock: clock, removed: removed,
            label: "Views \(per) of \(subject), \(context.window.title(clock: clock))", quietGap: quiet)
        let line = SeriesChart(
            grid: grid, buckets: buckets, now: context.now, clock: clock, removed: removed,
            label: "Total views of \(subject), \(context.window.title(clock: clock))", quietGap: quiet)
        var out = "<section class=\"charts\">" + hatch
        out += "<figure class=\"card chart\"><figcaption><h2>Views \(per)</h2>"
        out += "<output class=\"readout\" aria-hidden=\"true\"></output></figcaption>"
        out += "<div class=\"plot\">\(bars.bars())</div>\(legend(bars, removed: !removed.isEmpty))</figure>"
        out += "<figure class=\"card chart\"><figcaption><h2>Total views</h2>"
        out += "<output class=\"readout\" aria-hidden=\"true\"></output></figcaption>"
        out += "<div class=\"plot\">\(line.line())</div></figure>"
        out += SeriesTable(
            caption: "Views \(per) and total views of \(subject)", grid: grid, buckets: buckets, now: context.now,
            clock: clock
        ).html()
        return out + "</section>"
    }

    /// The pattern of "no data" bands, defined once per page.
    static let hatch =
        "<svg class=\"defs\" width=\"0\" height=\"0\" aria-hidden=\"true\"><defs><pattern id=\"hatch\" width=\"6\""
        + " height=\"6\" patternUnits=\"userSpaceOnUse\" patternTransform=\"rotate(45)\">"
        + "<line class=\"hatch-line\" x1=\"0\" y1=\"0\" x2=\"0\" y2=\"6\"/></pattern></defs></svg>"

    static func legend(_ chart: SeriesChart, removed: Bool) -> String {
        var items: [String] = []
        let buckets = chart.buckets
        if !chart.outages.isEmpty {
            items.append("<span class=\"key gap\"></span>no snapshot (a gap, not zero)")
        }
        if buckets.indices.contains(where: chart.closesOutage) {
            items.append("<span class=\"key catchup\"></span>views that arrived after a gap, spread over it")
        }
        if buckets.contains(where: \.reset) {
            items.append("<span class=\"key reset\"></span>counter went down (reset)")
        }
        if removed { items.append("<span class=\"key removed\"></span>post not on the blog") }
        guard !items.isEmpty else { return "" }
        return "<p class=\"legend\">" + items.map { "<span>\($0)</span>" }.joined() + "</p>"
    }

    static func tile(_ label: String, _ value: String, change: (Int64, Int64)? = nil, note: String? = nil) -> String {
        var out = "<div class=\"tile\"><dt>\(label)</dt><dd class=\"value\">\(HTML.escape(value))</dd>"
        if let (now, before) = change {
            if before == 0 {
                out += "<dd class=\"note\">none in the window before</dd>"
            } else {
                let text = TopTable.change(now, before)
                out += "<dd class=\"note change \(changeClass(text))\">\(text) "
                out += "<span>vs \(TopTable.number(before)) in the window before</span></dd>"
            }
        }
        if let note { out += "<dd class=\"note\">\(HTML.escape(note))</dd>" }
        return out + "</div>"
    }

    /// `▲ 12%` in green, `▼ 3%` in red, `new`, `=`.
    static func changeCell(_ now: Int64, _ before: Int64) -> String {
        let text = TopTable.change(now, before)
        return "<td class=\"num change \(changeClass(text))\" title=\"\(TopTable.number(before)) views in the"
            + " window before\">\(text)</td>"
    }

    static func changeClass(_ text: String) -> String {
        text.hasPrefix("▲") ? "up" : text.hasPrefix("▼") ? "down" : text == "new" ? "new" : "same"
    }

    /// What to call a post: its title, else its slug, else its id.
    static func name(title: String, slug: String, id: String) -> String {
        if !title.allSatisfy(\.isWhitespace) { return title }
        return slug.isEmpty ? "post \(id)" : slug
    }

    /// `BLOG_URL/slug`, escaped for an attribute; nil without a blog URL or a slug (drafts).
    static func postURL(_ blogURL: String?, slug: String) -> String? {
        guard var base = blogURL, !slug.isEmpty else { return nil }
        while base.hasSuffix("/") { base.removeLast() }
        return HTML.escape(base + "/" + HTML.percentEncode(slug))
    }
}
