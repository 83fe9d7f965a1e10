import BlogStatsStore

/// The document around every page: head, masthead (blog switcher, freshness, sign-out), footer.
enum PageShell {
    static func document(
        title: String, context: PageContext?, freshness: Freshness? = nil, refresh: Bool = false,
        assetVersion: String = Dashboard.assetVersion, main: String
    ) -> String {
        var out = ""
        out.reserveCapacity(main.utf8.count + 2500)
        out += "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        out += "<meta name=\"color-scheme\" content=\"light dark\">"
        out += "<title>\(HTML.escape(title)) · blogstats</title>"
        out += "<link rel=\"stylesheet\" href=\"/static/app.css?v=\(assetVersion)\">"
        out += "<link rel=\"icon\" type=\"image/svg+xml\" href=\"/static/icon.svg?v=\(assetVersion)\">"
        out += "<script src=\"/static/app.js?v=\(assetVersion)\" defer></script></head>"
        out += refresh ? "<body data-refresh=\"60\">" : "<body>"
        out += "<header class=\"masthead\"><div class=\"wrap\">"
        out += "<a class=\"brand\" href=\"/\"><svg class=\"logo\" viewBox=\"0 0 16 16\" aria-hidden=\"true\">"
        out += "<rect x=\"1\" y=\"9\" width=\"3\" height=\"6\"/><rect x=\"6.5\" y=\"5\" width=\"3\" height=\"10\"/>"
        out += "<rect x=\"12\" y=\"1\" width=\"3\" height=\"14\"/></svg>blogstats</a>"
        if let context { out += blogSwitcher(context) }
        out += "<span class=\"spacer\"></span>"
        if let freshness { out += badge(freshness) }
        if context?.signedIn == true {
            out +=
                "<form class=\"signout\" method=\"post\" action=\"/logout\"><button type=\"submit\">Sign out</button></form>"
        }
        out += "</div></header><main class=\"wrap\">"
        out += main
        out += "</main><footer class=\"wrap\"><p>"
        if let context { out += "Times in \(HTML.escape(context.clock.zone)). " }
        out += "Views per interval are the differences between snapshots of each post’s counter."
        out += " Served by blogstats; nothing on this page comes from another site.</p></footer></body></html>\n"
        return out
    }

    /// Links to the other blogs, same window; only when there are several.
    static func blogSwitcher(_ context: PageContext) -> String {
        guard context.blogs.count > 1 else { return "" }
        var out = "<nav class=\"blogs\" aria-label=\"Blogs\">"
        let query = HTML.query(context.window.parameters(includeStep: false))
        for blog in context.blogs {
            let current = blog.name == context.blog ? " aria-current=\"page\"" : ""
            out += "<a href=\"\(PageContext.blogPath(blog.name))\(query)\"\(current)>\(HTML.escape(blog.name))</a>"
        }
        return out + "</nav>"
    }

    static func badge(_ freshness: Freshness) -> String {
        guard let age = freshness.age, let last = freshness.lastSnapshot else {
            return "<span class=\"freshness stale\">no snapshot yet</span>"
        }
        let state = freshness.isStale ? "stale" : "fresh"
        return "<span class=\"freshness \(state)\" data-last=\"\(last)\">last snapshot "
            + "<span class=\"ago\">\(LocalClock.ago(age))</span></span>"
    }

    /// The notice shown when snapshots have stopped arriving.
    static func staleNotice(_ freshness: Freshness, clock: LocalClock) -> String {
        guard freshness.isStale, let last = freshness.lastSnapshot, let age = freshness.age else { return "" }
        var out = "<div class=\"notice stale\" role=\"alert\"><strong>Snapshots have stopped arriving.</strong> "
        out += "The last one came \(LocalClock.ago(age)) (\(HTML.escape(clock.dateTime(last))))"
        if let usual = freshness.usualInterval { out += "; they usually come every \(StepText.label(usual))" }
        out += ". The numbers below end there. Check the collector (<code>blogstats push</code> or the cron"
        out += " line) on the blog server.</div>"
        return out
    }
}
