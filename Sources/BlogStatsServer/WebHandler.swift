import BlogStatsCore
import BlogStatsHTTP
import BlogStatsStore
import BlogStatsWeb
import Foundation

/// The dashboard: `/`, `/blogs/{blog}`, `/posts/{blog}/{id}`, sign-in, and its static assets.
/// It asks the store what the JSON API asks and hands the values to BlogStatsWeb to draw.
struct WebHandler: Sendable {
    let store: any StoreQueries
    let authorizer: ReadAuthorizer
    let login: LoginHandler
    let clock: LocalClock
    /// Blog name → its public address (`--blog-url`), for links to posts.
    let blogURLs: [String: String]
    let now: @Sendable () -> Int64

    init(
        store: any StoreQueries, configuration: ReceiverConfiguration, authorizer: ReadAuthorizer,
        utcOffset: @escaping @Sendable (Int64) -> Int64, now: @escaping @Sendable () -> Int64
    ) {
        self.store = store
        self.authorizer = authorizer
        login = LoginHandler(
            password: configuration.readPassword, sessions: authorizer.sessions, throttle: LoginThrottle(),
            secure: configuration.http.tls != nil, trustProxy: configuration.trustProxy, now: now,
            log: configuration.log)
        clock = LocalClock(zone: configuration.timeZone, utcOffset: utcOffset)
        blogURLs = configuration.blogURLs
        self.now = now
    }

    /// Answers a dashboard path, or nil when the path is not the dashboard's.
    func handle(_ request: HTTPRequest) -> HTTPResponse? {
        let path = request.path
        if let asset = Self.asset(path) {
            guard request.method == "GET" || request.method == "HEAD" else { return Self.notAllowed(request) }
            return HTTPResponse(
                status: 200,
                headers: [
                    ("Content-Type", asset.type), ("Cache-Control", "public, max-age=86400"),
                    ("X-Content-Type-Options", "nosniff"),
                ], body: .bytes(Array(asset.body.utf8)))
        }
        if path == "/login" || path == "/logout" { return login.handle(request) }
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).dropFirst()
        let route: (blog: String?, post: String?)
        switch parts.first {
        case "" where parts.count == 1: route = (nil, nil)
        case "blogs" where parts.count == 2 && !parts.last!.isEmpty: route = (String(parts.last!), nil)
        // A post id may hold slashes: everything after the blog is the id.
        case "posts" where parts.count >= 3 && !parts[parts.startIndex + 1].isEmpty:
            route = (String(parts[parts.startIndex + 1]), parts.dropFirst(2).joined(separator: "/"))
        default: return nil
        }
        guard request.method == "GET" || request.method == "HEAD" else { return Self.notAllowed(request) }
        let now = now()
        let access = authorizer.access(request, now: now)
        let signedIn: Bool
        switch access {
        case .open, .token: signedIn = false
        case .session: signedIn = true
        case .signIn:
            var next = path
            if !request.query.isEmpty {
                next +=
                    "?"
                    + request.query.sorted { $0.key < $1.key }
                    .map { HTML.percentEncode($0.key) + "=" + HTML.percentEncode($0.value) }.joined(separator: "&")
            }
            return HTTPResponse(
                status: 303,
                headers: [("Location", "/login" + HTML.query([("next", next)])), ("Cache-Control", "no-store")])
        case .refused(let error):
            let page = MessagePage(title: "Sign-in needed", message: Self.message(of: error))
            return Self.page(error.status, page.html(), headers: error.headers)
        }
        do throws(Failure) {
            if let id = route.post {
                return Self.page(
                    200, try postPage(blog: route.blog!, id: id, query: request.query, now: now, signedIn: signedIn))
            }
            return Self.page(200, try overview(blog: route.blog, query: request.query, now: now, signedIn: signedIn))
        } catch {
            let page = MessagePage(
                title: error.title, message: error.message, detailHTML: error.detailHTML, link: error.link)
            return Self.page(error.status, page.html())
        }
    }

    private func overview(blog requested: String?, query: [String: String], now: Int64, signedIn: Bool) throws(Failure)
        -> String
    {
        let blogs = try stored { () throws(StoreError) in try store.blogs() }
        guard !blogs.isEmpty else { throw Failure.empty }
        let blog = requested ?? (blogs.contains { $0.name == "default" } ? "default" : blogs[0].name)
        guard let summary = blogs.first(where: { $0.name == blog }) else {
            throw Failure(404, "No such blog", "No blog is named “\(blog)” here.", link: ("/", "All blogs"))
        }
        let freshness = try freshness(summary, now: now)
        var window = try window(query, now: now) { () throws(Failure) in
            try firstSnapshot(blog: blog, last: summary.lastSnapshot)
        }
        window.snapshotInterval = freshness.usualInterval
        let grid = BucketGrid(from: window.from, to: window.to, step: window.step, utcOffset: clock.utcOffset)
        let buckets = try stored { () throws(StoreError) in try store.blogSeries(blog: blog, grid: grid) } ?? []
        var previousViews: Int64? = nil
        if window.fromText != "all", let start = grid.starts.first {
            let previous = BucketGrid(
                from: start - (grid.end - start), to: start, step: grid.step, utcOffset: clock.utcOffset)
            previousViews =
                try stored { () throws(StoreError) in try store.blogSeries(blog: blog, grid: previous) }?
                .compactMap(\.views).reduce(0, +)
        }
        let filter = query["q"].flatMap { $0.isEmpty ? nil : $0 }
        let limit = min(max(Int(query["limit"] ?? "") ?? 20, 1), 500)
        let top = try stored { () throws(StoreError) in
            try store.topPosts(blog: blog, from: window.from, to: window.to, limit: limit, filter: filter)
        }
        // About 30–60 intervals per sparkline, whatever the window.
        let span = window.to - window.from
        let sparkStep: Int64 = BucketGrid.steps.first(where: { span / $0 <= 60 }) ?? 604_800
        let sparkGrid = BucketGrid(from: window.from, to: window.to, step: sparkStep, utcOffset: clock.utcOffset)
        var rows: [TopPostRow] = []
        for post in top {
            let series = try stored { () throws(StoreError) in
                try store.postSeries(blog: blog, id: post.id, grid: sparkGrid)
            }
            let trend: [Int64?] = series?.buckets.map { $0.views } ?? []
            rows.append(TopPostRow(post: post, trend: trend))
        }
        let context = PageContext(
            clock: clock, now: now, blogs: blogs, blog: blog, window: window, signedIn: signedIn)
        return OverviewPage(
            context: context, grid: grid, buckets: buckets, previousViews: previousViews, posts: rows,
            freshness: freshness, blogURL: blogURLs[blog], filter: filter, limit: limit
        ).html()
    }

    private func postPage(blog: String, id: String, query: [String: String], now: Int64, signedIn: Bool)
        throws(Failure) -> String
    {
        let blogs = try stored { () throws(StoreError) in try store.blogs() }
        guard let summary = blogs.first(where: { $0.name == blog }) else {
            throw Failure(404, "No such blog", "No blog is named “\(blog)” here.", link: ("/", "All blogs"))
        }
        let missing = Failure(
            404, "No such post", "Blog “\(blog)” has no post with id “\(id)”.",
            link: (PageContext.blogPath(blog), "The blog’s overview"))
        let freshness = try freshness(summary, now: now)
        var window = try window(query, now: now) { () throws(Failure) in
            // "All" of a post starts when it was first seen.
            let probe = BucketGrid(from: now - 60, to: now, step: 60)
            let series = try stored { () throws(StoreError) in
                try store.postSeries(blog: blog, id: id, grid: probe)
            }
            guard let series else { throw missing }
            return series.firstSeen
        }
        window.snapshotInterval = freshness.usualInterval
        let grid = BucketGrid(from: window.from, to: window.to, step: window.step, utcOffset: clock.utcOffset)
        guard let series = try stored({ () throws(StoreError) in try store.postSeries(blog: blog, id: id, grid: grid) })
        else { throw missing }
        let context = PageContext(clock: clock, now: now, blogs: blogs, blog: blog, window: window, signedIn: signedIn)
        return PostPage(
            context: context, grid: grid, series: series, freshness: freshness,
            blogURL: blogURLs[blog]
        ).html()
    }

    /// The window the URL asks for, read as the JSON API reads it, plus local times from the
    /// custom-range form and `all`.
    private func window(_ query: [String: String], now: Int64, start: () throws(Failure) -> Int64?)
        throws(Failure) -> DashboardWindow
    {
        let fromText = query["from"].flatMap { $0.isEmpty ? nil : $0 }
        let toText = query["to"].flatMap { $0.isEmpty ? nil : $0 }
        var apiQuery: [String: String] = [:]
        if fromText == "all" {
            apiQuery["from"] = Timestamp.format(min(try start() ?? now - 3600, now - 60))
        } else {
            apiQuery["from"] = normalized(fromText ?? DashboardWindow.defaultPreset)
        }
        if let toText { apiQuery["to"] = normalized(toText) }
        if let step = query["step"], !step.isEmpty { apiQuery["step"] = step }
        let asked: QueryWindow
        do throws(APIError) {
            asked = try QueryWindow(query: apiQuery, now: now, defaultSpan: 7 * 86_400)
        } catch {
            throw Failure(400, "That window cannot be shown", Self.message(of: error), link: ("?", "Last 7 days"))
        }
        let window = DashboardWindow(
            from: asked.from, to: asked.to, fromText: fromText, toText: toText, requestedStep: asked.step)
        if (window.to - window.from) / window.step > DashboardWindow.maximumBuckets {
            throw Failure(
                400, "Too many intervals",
                "A step of \(StepText.label(window.step)) makes \((window.to - window.from) / window.step) intervals;"
                    + " the dashboard draws at most \(DashboardWindow.maximumBuckets). Choose a larger step.",
                link: ("?" + HTML.query(window.parameters(includeStep: false)).dropFirst(), "Automatic step"))
        }
        return window
    }

    /// RFC 3339 and durations pass as they are; a local time from the form becomes RFC 3339.
    private func normalized(_ text: String) -> String {
        if Timestamp.parse(text) != nil || Timestamp.parseDuration(text) != nil { return text }
        return clock.parseInput(text).map(Timestamp.format) ?? text
    }

    /// The blog's first snapshot: found coarse to fine (four weeks, a day, an hour, a minute),
    /// a few hundred index seeks at most.
    private func firstSnapshot(blog: String, last: Int64?) throws(Failure) -> Int64? {
        guard let last else { return nil }
        var from = last - 20 * 365 * 86_400
        var to = last + 1
        for step: Int64 in [28 * 86_400, 86_400, 3600, 60] {
            let grid = BucketGrid(from: from, to: to, step: step, utcOffset: clock.utcOffset)
            let buckets = try stored { () throws(StoreError) in try store.blogSeries(blog: blog, grid: grid) } ?? []
            guard let index = buckets.firstIndex(where: { $0.views != nil }) else { return from }
            from = grid.starts[index]
            to = grid.bucketEnd(index)
        }
        return from
    }

    /// When the last snapshot came and how often they usually come (measured over its last day).
    private func freshness(_ blog: BlogSummary, now: Int64) throws(Failure) -> Freshness {
        guard let last = blog.lastSnapshot else { return Freshness(lastSnapshot: nil, usualInterval: nil, now: now) }
        let grid = BucketGrid(from: last - 86_400 + 1, to: last + 1, step: 60, utcOffset: { _ in 0 })
        let buckets = try stored { () throws(StoreError) in try store.blogSeries(blog: blog.name, grid: grid) } ?? []
        let seen = buckets.indices.filter { buckets[$0].views != nil }
        var usual: Int64? = nil
        if seen.count >= 2, let first = seen.first {
            usual = max((last - grid.starts[first]) / Int64(seen.count - 1), 60)
        }
        return Freshness(lastSnapshot: last, usualInterval: usual, now: now)
    }

    private func stored<T>(_ body: () throws(StoreError) -> T) throws(Failure) -> T {
        do throws(StoreError) {
            return try body()
        } catch {
            throw Failure(APIError(error).status, "The store cannot be read", "\(error)")
        }
    }

    /// An HTML page with the dashboard's security headers.
    static func page(_ status: Int, _ html: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: [
                ("Content-Type", "text/html; charset=utf-8"),
                ("Content-Security-Policy", Dashboard.contentSecurityPolicy),
                ("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "no-referrer"), ("X-Frame-Options", "DENY"),
                ("Cache-Control", "no-store"),
            ] + headers, body: .bytes(Array(html.utf8)))
    }

    static func notAllowed(_ request: HTTPRequest) -> HTTPResponse {
        page(
            405, MessagePage(title: "Not allowed", message: "\(request.method) is not allowed here.").html(),
            headers: [("Allow", "GET, HEAD")])
    }

    static func asset(_ path: String) -> (type: String, body: String)? {
        switch path {
        case "/static/app.css": ("text/css; charset=utf-8", Dashboard.stylesheet)
        case "/static/app.js": ("text/javascript; charset=utf-8", Dashboard.script)
        case "/static/icon.svg", "/favicon.ico": ("image/svg+xml", Dashboard.icon)
        default: nil
        }
    }

    /// The message of an API error, for a page.
    static func message(of error: APIError) -> String {
        let object = try? JSONSerialization.jsonObject(with: Data(error.body)) as? [String: Any]
        return object?["error"] as? String ?? "HTTP \(error.status)"
    }
}

extension WebHandler {
    /// A page that cannot be drawn: its status and what to tell the reader.
    struct Failure: Error {
        var status: Int
        var title: String
        var message: String
        var detailHTML = ""
        var link: (href: String, label: String)?

        init(
            _ status: Int, _ title: String, _ message: String, detailHTML: String = "",
            link: (href: String, label: String)? = nil
        ) {
            self.status = status
            self.title = title
            self.message = message
            self.detailHTML = detailHTML
            self.link = link
        }

        /// A receiver nothing was pushed to yet: say how to push.
        static let empty = Failure(
            200, "No snapshots yet",
            "Nothing has been pushed to this receiver yet. The charts appear with the first snapshot.",
            detailHTML:
                "<p>From the blog server, for example:</p><pre><code>sqlite3 writefreely.db \".mode csv\" \".header on\" "
                + "\"select id, slug, view_count, title from posts\" | curl -X POST -H \"Content-Type: text/csv\" "
                + "--data-binary @- http://THIS-HOST/stats</code></pre><p>or <code>blogstats push --writefreely DB --to URL</code>.</p>"
        )
    }
}
