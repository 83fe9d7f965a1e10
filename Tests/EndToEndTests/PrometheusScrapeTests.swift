import Foundation
import Testing

/// A real Prometheus scrapes a real receiver (OpenMetrics, as Prometheus asks for it, with the
/// read token from its `authorization` config) and answers the queries the Grafana dashboard
/// (deploy/grafana/blogstats-prometheus.json) asks.
@Suite struct PrometheusScrapeTests {
    static let readToken = "prometheus-read-token-0123456789"
    static let title = #"Say "hi" \ to C:\dir\, {a="b"} — ✓"#

    @Test func prometheusScrapesTheCountsAndTheDashboardQueriesAnswer() async throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("read.token", Self.readToken + "\n")
        // Listening on every address, the receiver wants the read token even from loopback: the
        // scrape proves Prometheus's bearer token configuration works.
        let receiver = try await ReceiverProcess(
            in: directory, listen: "0.0.0.0:0", arguments: ["--read-token-file", tokenFile])
        let base = "http://127.0.0.1:\(receiver.port)"
        let start = CaptureTime.now() - 120
        let first = CSVBody([("a", "alpha", 100, Self.title), ("b", "beta", 50, "Beta"), ("c", "gamma", 7, "Gamma")])
        let pushed = try await Curl.push(base + "/stats", first.text, headers: [CaptureTime.header(start)])
        try #require(pushed.status == 200, "\(pushed.summary)")
        let anonymous = try await Curl.request(base + "/metrics")
        #expect(anonymous.status == 401, "\(anonymous.summary)")

        let prometheus = try await PrometheusServer(target: "127.0.0.1:\(receiver.port)", tokenFile: tokenFile)
        do {
            try await Self.scrapeAndQuery(prometheus, base: base, start: start)
        } catch {
            await prometheus.stop()
            throw error
        }
        await prometheus.stop()
    }

    static func views(_ prometheus: PrometheusServer, _ query: String) async throws -> [String: String] {
        var values: [String: String] = [:]
        for series in try await prometheus.query(query) { values[series.labels["id"] ?? "?"] = series.value }
        return values
    }

    static func scrapeAndQuery(_ prometheus: PrometheusServer, base: String, start: Int64) async throws {
        try await prometheus.waitUntil("the first scrape's counts") {
            try await views(prometheus, "blogstats_post_views_total") == ["a": "100", "b": "50", "c": "7"]
        }
        let target = try await prometheus.target()
        #expect(target?.health == "up" && target?.lastError == "", "\(String(describing: target))")
        let series = try await prometheus.query("blogstats_post_views_total")
        #expect(
            Set(series.map { $0.labels }) == [
                [
                    "__name__": "blogstats_post_views_total", "blog": "default", "id": "a", "slug": "alpha",
                    "job": "blogstats", "instance": prometheus.targetName,
                ],
                [
                    "__name__": "blogstats_post_views_total", "blog": "default", "id": "b", "slug": "beta",
                    "job": "blogstats", "instance": prometheus.targetName,
                ],
                [
                    "__name__": "blogstats_post_views_total", "blog": "default", "id": "c", "slug": "gamma",
                    "job": "blogstats", "instance": prometheus.targetName,
                ],
            ])
        // The title went through escaping and Prometheus's parser intact.
        let info = try await prometheus.query(#"blogstats_post_info{id="a"}"#)
        #expect(info.map { $0.labels["title"] } == [title] && info.map(\.value) == ["1"], "\(info)")
        let blog = try await prometheus.query("blogstats_blog_views_total")
        #expect(blog.map(\.value) == ["157"] && blog.first?.labels["blog"] == "default", "\(blog)")
        // The dashboard's `blog` variable: label_values(blogstats_blog_views_total, blog).
        let labels = try await Curl.request(prometheus.url("/api/v1/label/blog/values"))
        #expect((labels.object?["data"] as? [String]) == ["default"], "\(labels.summary)")

        // A few scrapes of the first state, so every series has several samples before it moves.
        try await prometheus.waitUntil("three scrapes") {
            try await views(prometheus, "count_over_time(blogstats_post_views_total[5m])").values.allSatisfy {
                (Int($0) ?? 0) >= 3
            }
        }
        // a gains 30 views, b none, c is deleted: c's series ends (Prometheus marks it stale).
        let second = CSVBody([("a", "alpha", 130, title), ("b", "beta", 50, "Beta")])
        let pushed = try await Curl.push(base + "/stats", second.text, headers: [CaptureTime.header(start + 60)])
        try #require(pushed.status == 200, "\(pushed.summary)")
        try await prometheus.waitUntil("the second snapshot's counts") {
            try await views(prometheus, "blogstats_post_views_total") == ["a": "130", "b": "50"]
        }

        // Views per interval as the dashboard asks (with a fixed window for $__rate_interval):
        // never negative, nothing for an unchanged post, something for the one that moved.
        let increase = try await views(prometheus, #"increase(blogstats_post_views_total{blog="default"}[2m])"#)
        #expect(increase.values.allSatisfy { (Double($0) ?? -1) >= 0 }, "\(increase)")
        #expect(increase["b"] == "0" && increase["c"] == "0", "\(increase)")
        #expect((Double(increase["a"] ?? "") ?? 0) > 0, "\(increase)")

        // Every query of the Grafana dashboard, its variables filled in, answers; those about
        // posts and blogs with data.
        let dashboard = try GrafanaDashboard.load()
        #expect(dashboard.variableQueries["blog"] == "label_values(blogstats_blog_views_total, blog)")
        #expect(
            dashboard.expressions.contains {
                $0.contains(#"increase(blogstats_post_views_total{blog="$blog"}[$__rate_interval])"#)
            })
        for expression in dashboard.expressions {
            let query = GrafanaDashboard.fill(
                expression, ["$__rate_interval": "1m", "$__range": "5m", "$blog": "default", "$top": "10"])
            let answer = try await prometheus.query(query)
            if query.contains("blogstats_post_") || query.contains("blogstats_blog_") {
                #expect(!answer.isEmpty, "\(query) answered nothing")
            }
        }
        // The top-posts table: the post that moved first, with its title joined from the info metric.
        let table = try #require(dashboard.expressions.first { $0.contains("group_left (slug, title)") })
        let top = try await prometheus.query(
            GrafanaDashboard.fill(table, ["$__range": "5m", "$blog": "default", "$top": "10"]))
        let best = top.max { (Double($0.value) ?? 0) < (Double($1.value) ?? 0) }
        #expect(best?.labels["id"] == "a" && best?.labels["title"] == title, "\(top)")
        #expect(Set(top.compactMap { $0.labels["id"] }) == ["a", "b"], "\(top)")
    }
}
