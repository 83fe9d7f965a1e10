import BlogStatsCore
import Foundation
import Testing

@testable import BlogStatsStore
@testable import BlogStatsWeb

/// WriteFreely titles and slugs are user-written: in every place they land (HTML text,
/// attributes, SVG, URLs) they must stay text.
@Suite struct EscapingTests {
    static let post = TopPost(
        id: Fixtures.hostileID, slug: Fixtures.hostileSlug, title: Fixtures.hostileTitle, views: 12, previousViews: 6,
        total: 120, firstSeen: Fixtures.day)

    static func overview() -> String {
        OverviewPage(
            context: Fixtures.context(), grid: Fixtures.grid, buckets: Fixtures.buckets, previousViews: 10,
            posts: [TopPostRow(post: post, trend: [1, nil, 3])],
            freshness: Freshness(lastSnapshot: Fixtures.now - 60, usualInterval: 60, now: Fixtures.now),
            blogURL: "https://blog.example.org/", filter: Fixtures.hostileTitle
        ).html()
    }

    static func postPage() -> String {
        let series = PostSeries(
            id: Fixtures.hostileID, firstSeen: Fixtures.day, buckets: Fixtures.buckets,
            names: [
                PostSeries.Name(since: Fixtures.day, slug: "plain", title: "Plain"),
                PostSeries.Name(since: Fixtures.day + 3600, slug: Fixtures.hostileSlug, title: Fixtures.hostileTitle),
            ], removed: [PostSeries.Absence(from: Fixtures.day + 9 * 3600, to: nil)])
        return PostPage(
            context: Fixtures.context(), grid: Fixtures.grid, series: series,
            freshness: Freshness(lastSnapshot: Fixtures.now - 60, usualInterval: 60, now: Fixtures.now),
            blogURL: "https://blog.example.org"
        ).html()
    }

    static func count(_ needle: String, in text: String) -> Int { text.components(separatedBy: needle).count - 1 }

    /// What must hold for any page holding the hostile title.
    func expectInert(_ html: String, _ page: String) {
        #expect(!html.contains(Fixtures.hostileTitle), "\(page): the raw title")
        #expect(!html.contains("<script>alert"), "\(page): a script element from the title")
        #expect(Self.count("<script", in: html) == 1, "\(page): only the page's own script")
        #expect(html.contains("<script src=\"/static/app.js?v="), "\(page)")
        #expect(!html.contains("<b>") && !html.contains("</title><b>"), "\(page): markup from the title")
        #expect(Self.count("<svg", in: html) == Self.count("</svg>", in: html), "\(page): an SVG closed early")
        // Each occurrence of the smuggled attribute sits in escaped text or in a percent-encoded URL.
        let pieces = html.components(separatedBy: "onmouseover").dropLast()
        #expect(pieces.count >= 2, "\(page)")
        for piece in pieces {
            #expect(piece.hasSuffix("&#39; ") || piece.hasSuffix("%27%20"), "\(page): \(piece.suffix(40))")
        }
        #expect(!html.contains("&lt;/script&gt;\n"), "\(page): a line break from the title")
        #expect(!html.contains("a\"b<c>"), "\(page): the raw slug")
    }

    @Test func overviewKeepsTitlesAndSlugsInert() {
        let html = Self.overview()
        expectInert(html, "overview")
        // The link text, and the sparkline's tooltip and label (SVG text and attribute).
        #expect(Self.count(Fixtures.escapedTitle, in: html) >= 3, "\(html)")
        #expect(html.contains("<title>Views per interval of “\(Fixtures.escapedTitle)”"))
        #expect(html.contains("aria-label=\"Views per interval of “\(Fixtures.escapedTitle)”"))
        // The filter box holds the title as a value.
        #expect(
            html.contains(
                "name=\"q\" placeholder=\"Filter by title or slug\" aria-label=\"Filter posts\" value=\"\(Fixtures.escapedTitle)\""
            ))
        #expect(html.contains("<span class=\"slug\">/a&quot;b&lt;c&gt;/d e?f=1&amp;g</span>"))
        // URLs: the id and the slug are percent-encoded, then the whole is attribute-escaped.
        #expect(html.contains("href=\"/posts/default/id%2F%3Ci%3E%22%26?from="))
        #expect(html.contains("href=\"https://blog.example.org/a%22b%3Cc%3E%2Fd%20e%3Ff%3D1%26g\""))
        #expect(html.contains("q=%3Cscript%3Ealert%28%22x%22%29"), "the filter, kept by the window links")
    }

    @Test func postPageKeepsTitlesAndSlugsInert() {
        let html = Self.postPage()
        expectInert(html, "post page")
        #expect(html.contains("<title>\(Fixtures.escapedTitle) · blogstats</title>"), "the document title")
        #expect(html.contains("<h1>\(Fixtures.escapedTitle)</h1>"))
        #expect(html.contains("<td>\(Fixtures.escapedTitle)</td>"), "the names history")
        #expect(html.contains("aria-label=\"Views per hour of “\(Fixtures.escapedTitle)”"), "the chart's label (SVG)")
        #expect(html.contains("<caption>Views per hour and total views of “\(Fixtures.escapedTitle)”</caption>"))
        #expect(html.contains("<td class=\"slug\">a&quot;b&lt;c&gt;/d e?f=1&amp;g</td>"))
        #expect(html.contains("href=\"https://blog.example.org/a%22b%3Cc%3E%2Fd%20e%3Ff%3D1%26g\""))
        #expect(html.contains("<code>id/&lt;i&gt;&quot;&amp;</code>"))
        #expect(html.contains("action=\"/posts/default/id%2F%3Ci%3E%22%26\""), "the controls' form")
    }

    @Test func exportLinksNameExactlyTheGridShown() {
        let html = Self.postPage()
        let query =
            "kind=series&amp;blog=default&amp;id=id%2F%3Ci%3E%22%26&amp;from=2026-12-03T00%3A00%3A00Z"
            + "&amp;to=2026-12-03T12%3A00%3A00Z&amp;step=1h"
        #expect(html.contains("href=\"/api/v1/export.csv?\(query)\" download>CSV</a>"))
        #expect(html.contains("href=\"/api/v1/export.csv?\(query)&amp;format=json\">JSON</a>"))
    }

    @Test func escapeHandlesEveryDangerousCharacter() {
        #expect(HTML.escape("a&b<c>d\"e'f") == "a&amp;b&lt;c&gt;d&quot;e&#39;f")
        #expect(HTML.escape("line\nbreak\r\u{1}\u{7F}\u{85}\u{2028}end") == "line break     end")
        #expect(HTML.escape("plain é 🎉 “quotes”") == "plain é 🎉 “quotes”")
        #expect(HTML.percentEncode("a b/é?&=~._-") == "a%20b%2F%C3%A9%3F%26%3D~._-")
        #expect(HTML.query([("q", "a&b"), ("from", "7d")]) == "?q=a%26b&amp;from=7d")
        #expect(HTML.query([]) == "")
    }
}
