import Foundation
import Testing

/// The dashboard's routes as `curl` sees them: headers, windows from the URL, errors as pages.
@Suite struct DashboardPagesTests {
    static let policy =
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; object-src 'none'; base-uri 'none';"
        + " form-action 'self'; frame-ancestors 'none'"

    @Test func routesHeadersAndWindows() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, arguments: ["--timezone", "Europe/Paris"])
        let empty = try await Curl.request(receiver.url("/"))
        #expect(empty.status == 200 && empty.text.contains("No snapshots yet"), "\(empty.summary)")

        let end = try await DashboardBrowserTests.seed(receiver)
        let notes = try await Curl.push(
            receiver.url("/stats?blog=notes"), CSVBody([("n", "note", 3, "A note")]).text,
            headers: [CaptureTime.header(end)])
        #expect(notes.status == 200, "\(notes.summary)")

        let home = try await Curl.request(receiver.url("/"))
        #expect(home.status == 200, "\(home.summary)")
        #expect(home.headers["content-type"] == "text/html; charset=utf-8")
        #expect(home.headers["content-security-policy"] == Self.policy)
        #expect(home.headers["x-content-type-options"] == "nosniff")
        #expect(home.headers["cache-control"] == "no-store")
        #expect(home.headers["referrer-policy"] == "no-referrer")
        #expect(home.text.contains("<h1>default</h1>"), "the default blog first")
        #expect(home.text.contains("<nav class=\"blogs\" aria-label=\"Blogs\">"), "two blogs: a switcher")
        #expect(home.text.contains("href=\"/blogs/notes\">notes</a>"))
        #expect(home.text.contains("auto (1 hour)"), "snapshots every 30 min: no finer automatic step")

        let other = try await Curl.request(receiver.url("/blogs/notes?from=24h"))
        #expect(other.status == 200 && other.text.contains("<h1>notes</h1>") && other.text.contains("A note"))
        #expect(other.text.contains("href=\"/blogs/default?from=24h\">default</a>"), "the switcher keeps the window")

        // Windows: a preset, all, a custom local range, a chosen step.
        let all = try await Curl.request(receiver.url("/?from=all"))
        #expect(all.status == 200 && all.text.contains("all time"), "\(all.summary)")
        let custom = try await Curl.request(receiver.url("/?from=2026-01-01T10:00&to=2026-01-02T10:00&step=6h"))
        #expect(custom.status == 200, "\(custom.summary)")
        #expect(custom.text.contains("Thu 1 Jan 2026, 10:00 – Fri 2 Jan 2026, 10:00"), "local times, as typed")
        #expect(custom.text.contains("name=\"from\" value=\"2026-01-01T10:00\""))
        #expect(custom.text.contains("<option value=\"6h\" selected>6 hours</option>"))
        #expect(!custom.text.contains("data-refresh"), "a fixed window does not refresh itself")
        let post = try await Curl.request(receiver.url("/posts/default/2026%2F12%2Fids?from=24h&step=1h"))
        #expect(post.status == 200 && post.text.contains("<h1>Ids with slashes</h1>"), "\(post.summary)")
        #expect(post.text.contains("data-refresh=\"60\""))
        let head = try await Curl.request(receiver.url("/"), method: "HEAD", arguments: ["-I"])
        // curl -I writes the headers where the body would go: no page may follow them.
        #expect(head.status == 200 && !head.text.contains("<!doctype"), "\(head.summary)")

        // Mistakes are pages that say what is wrong.
        let cases: [(String, Int, String)] = [
            ("/blogs/nope", 404, "No blog is named “nope” here."),
            ("/posts/default/nope", 404, "has no post with id “nope”"),
            ("/?from=banana", 400, "from must be an RFC 3339 time or a duration"),
            ("/?from=30d&step=1m", 400, "step 1m makes more than 10,000 buckets"),
            ("/?from=90d&step=15m", 400, "A step of 15 minutes makes 8640 intervals"),
            ("/?from=2d&to=3d", 400, "must be before to"),
        ]
        for (path, status, message) in cases {
            let answer = try await Curl.request(receiver.url(path))
            #expect(answer.status == status, "\(path): \(answer.summary)")
            #expect(answer.text.contains(message), "\(path): \(answer.text.suffix(900))")
            #expect(answer.headers["content-type"] == "text/html; charset=utf-8", "\(path)")
        }
        let posted = try await Curl.request(receiver.url("/"), method: "POST", body: Data("x".utf8))
        #expect(posted.status == 405 && posted.headers["allow"] == "GET, HEAD", "\(posted.summary)")

        // First-party assets, cacheable.
        for (path, type) in [
            ("/static/app.css", "text/css; charset=utf-8"), ("/static/app.js", "text/javascript; charset=utf-8"),
            ("/static/icon.svg", "image/svg+xml"), ("/favicon.ico", "image/svg+xml"),
        ] {
            let asset = try await Curl.request(receiver.url(path))
            #expect(asset.status == 200 && asset.headers["content-type"] == type, "\(path): \(asset.summary)")
            #expect(asset.headers["cache-control"] == "public, max-age=86400")
        }
        #expect(try await Curl.request(receiver.url("/static/nope.js")).status == 404)
    }
}
