import BlogStatsCore
import Foundation
import Testing

@testable import BlogStatsStore
@testable import BlogStatsWeb

/// Controls, notices and the blog switcher: what the reader sees around the charts.
@Suite struct PageTests {
    @Test func staleNoticeAfterThreeIntervalsAndNeverBeforeTenMinutes() {
        let now: Int64 = 1_000_000
        #expect(!Freshness(lastSnapshot: now - 599, usualInterval: 60, now: now).isStale)
        #expect(Freshness(lastSnapshot: now - 601, usualInterval: 60, now: now).isStale)
        #expect(!Freshness(lastSnapshot: now - 3 * 3600, usualInterval: 3600, now: now).isStale)
        #expect(Freshness(lastSnapshot: now - 3 * 3600 - 1, usualInterval: 3600, now: now).isStale)
        #expect(!Freshness(lastSnapshot: nil, usualInterval: nil, now: now).isStale)

        var page = OverviewPage(
            context: Fixtures.context(), grid: Fixtures.grid, buckets: Fixtures.buckets, previousViews: nil, posts: [],
            freshness: Freshness(lastSnapshot: Fixtures.now - 7200, usualInterval: 60, now: Fixtures.now))
        #expect(page.html().contains("<div class=\"notice stale\" role=\"alert\">"))
        #expect(page.html().contains("The last one came 2 h ago"))
        #expect(page.html().contains("class=\"freshness stale\""))
        page.freshness = Freshness(lastSnapshot: Fixtures.now - 60, usualInterval: 60, now: Fixtures.now)
        #expect(!page.html().contains("notice stale"))
        #expect(page.html().contains("class=\"freshness fresh\""))
    }

    @Test func controlsPutEverythingInTheURL() {
        var context = Fixtures.context()
        context.window = DashboardWindow(
            from: Fixtures.day - 30 * 86_400, to: Fixtures.day, fromText: "30d", toText: nil, requestedStep: nil)
        let html = OverviewPage(
            context: context, grid: Fixtures.grid, buckets: Fixtures.buckets, previousViews: nil, posts: [],
            freshness: Freshness(lastSnapshot: nil, usualInterval: nil, now: Fixtures.now), filter: "swift"
        ).html()
        #expect(html.contains("<a href=\"/blogs/default?from=30d&amp;q=swift\" aria-current=\"true\""))
        #expect(html.contains("<a href=\"/blogs/default?q=swift\" title=\"last 7 days\">7 d</a>"), "the default")
        #expect(html.contains("<a href=\"/blogs/default?from=all&amp;q=swift\""))
        #expect(html.contains("<option value=\"\" selected>auto (6 hours)</option>"))
        #expect(html.contains("<option value=\"1d\">1 day</option>"))
        #expect(!html.contains("<option value=\"1m\">"), "43,200 intervals: not offered")
        #expect(html.contains("<input type=\"hidden\" name=\"from\" value=\"30d\">"), "the step form keeps the window")
        #expect(html.contains("<details class=\"custom\"><summary>"), "closed for a preset")
        #expect(html.contains("data-refresh=\"60\""), "a window ending now refreshes")
        #expect(html.contains("<h1>default</h1><p class=\"subtitle\">last 30 days · per hour</p>"))
    }

    @Test func customWindowOpensTheFormAndDoesNotRefresh() {
        let html = OverviewPage(
            context: Fixtures.context(), grid: Fixtures.grid, buckets: Fixtures.buckets, previousViews: 100, posts: [],
            freshness: Freshness(lastSnapshot: nil, usualInterval: nil, now: Fixtures.now)
        ).html()
        #expect(html.contains("<details class=\"custom\" open>"))
        #expect(html.contains("name=\"from\" value=\"2026-12-03T00:00\" required"))
        #expect(html.contains("name=\"to\" value=\"2026-12-03T12:00\""))
        #expect(html.contains("<option value=\"1h\" selected>1 hour</option>"))
        #expect(!html.contains("data-refresh"))
        #expect(html.contains("▲ 1,310%") || html.contains("▲ 1310%"), "views against the window before")
    }

    @Test func blogSwitcherOnlyWithSeveralBlogs() {
        func page(_ blogs: [String]) -> String {
            OverviewPage(
                context: Fixtures.context(blogs: blogs), grid: Fixtures.grid, buckets: Fixtures.buckets,
                previousViews: nil, posts: [],
                freshness: Freshness(lastSnapshot: nil, usualInterval: nil, now: Fixtures.now)
            ).html()
        }
        #expect(!page(["default"]).contains("class=\"blogs\""))
        let several = page(["default", "notes"])
        #expect(several.contains("<nav class=\"blogs\" aria-label=\"Blogs\">"))
        #expect(several.contains("href=\"/blogs/notes?from=2026-12-03T00%3A00&amp;to=2026-12-03T12%3A00\">notes</a>"))
        #expect(several.contains("aria-current=\"page\">default</a>"))
    }

    @Test func topPostsShowChangeTotalAndLinks() {
        let posts = [
            TopPost(id: "a", slug: "alpha", title: "Alpha", views: 150, previousViews: 100, total: 1_500, firstSeen: 0),
            TopPost(id: "b", slug: "", title: "", views: 5, previousViews: 10, total: nil, firstSeen: 0),
        ]
        let html = OverviewPage(
            context: Fixtures.context(), grid: Fixtures.grid, buckets: Fixtures.buckets, previousViews: nil,
            posts: posts.map { TopPostRow(post: $0, trend: [1, 2]) },
            freshness: Freshness(lastSnapshot: nil, usualInterval: nil, now: Fixtures.now), blogURL: "https://b.example"
        ).html()
        #expect(html.contains("<td class=\"num change up\""))
        #expect(html.contains(">▲ 50%</td>"))
        #expect(html.contains(">▼ 50%</td>"))
        #expect(html.contains("<td class=\"num total\">1,500</td>"))
        #expect(html.contains("<span class=\"badge\">removed</span>"))
        #expect(html.contains("href=\"https://b.example/alpha\" rel=\"noopener noreferrer\">on the blog ↗</a>"))
        #expect(html.contains(">post b</a>"), "a post without title or slug is named by its id")
        #expect(Self.count("on the blog ↗", html) == 1, "a draft without slug has no blog link")
        #expect(Self.count("<svg class=\"spark\"", html) == 2)
    }

    @Test func seriesTableHasEveryBucket() {
        let html = SeriesTable(
            caption: "c", grid: Fixtures.grid, buckets: Fixtures.buckets, now: Fixtures.now, clock: Fixtures.clock
        ).html()
        #expect(html.hasPrefix("<table class=\"visually-hidden\">"))
        #expect(Self.count("<tr><th scope=\"row\">", html) == 12)
        #expect(Self.count("<td>no data</td>", html) == 2)
        #expect(html.contains("<td>60 (includes 2 hours without snapshots)</td>"))
        #expect(html.contains("<td>20 (the counter went down)</td>"))
    }

    @Test func loginPageFormAndProblem() {
        let html = LoginPage(next: "/posts/x/\"y", problem: "That password is not right.").html()
        #expect(html.contains("<form method=\"post\" action=\"/login\">"))
        #expect(html.contains("<input type=\"hidden\" name=\"next\" value=\"/posts/x/&quot;y\">"))
        #expect(html.contains("type=\"password\" name=\"password\""))
        #expect(html.contains("role=\"alert\">That password is not right.</p>"))
        #expect(!LoginPage(available: false).html().contains("type=\"password\""))
    }

    static func count(_ needle: String, _ text: String) -> Int { text.components(separatedBy: needle).count - 1 }
}
