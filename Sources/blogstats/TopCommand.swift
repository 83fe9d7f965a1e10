import BlogStatsCore
import BlogStatsStore
import Foundation

/// `blogstats top`: the most read posts of a window, in a terminal.
enum TopCommand {
    static let specs: [OptionSpec] = [
        OptionSpec(name: "data", value: "FILE", help: "read this store file directly", defaultValue: "./blogstats.db"),
        OptionSpec(
            name: "server", value: "URL", help: "read from a running receiver instead, e.g. https://stats.example.org"),
        OptionSpec(name: "token-file", value: "FILE", help: "read token for --server (not needed on loopback)"),
        OptionSpec(name: "blog", value: "NAME", help: "the blog", defaultValue: "default"),
        OptionSpec(name: "range", value: "DURATION", help: "the window, ending now: 24h, 7d, 30d…", defaultValue: "7d"),
        OptionSpec(name: "limit", value: "N", help: "how many posts", defaultValue: "20"),
        OptionSpec(name: "q", value: "TEXT", help: "only posts whose slug or title contains TEXT"),
        OptionSpec(name: "timezone", value: "ZONE", help: "time zone for day buckets (IANA name)", defaultValue: "UTC"),
    ]

    static let help = Options.help(
        usage: "blogstats top [options]",
        summary: """
            Prints the posts read most in a window: views gained, the change against the window
            before, the total, and a sparkline of views per interval. Fits 80 columns.
            """,
        specs: specs, footer: "exit codes: 0 printed, 1 the store or server could not be read, 2 bad usage")

    static func run(_ arguments: [String]) throws -> Int32 {
        let options = try Options(arguments, specs: specs, environment: ProcessInfo.processInfo.environment)
        let range = try options.seconds("range", parse: Timestamp.parseDuration)
        guard range >= 3600 else { throw UsageError("--range must be at least 1h") }
        let limit = try options.integer("limit")
        let blog = options.string("blog")!
        guard let zone = TimeZone(identifier: options.string("timezone")!) else {
            throw UsageError("--timezone \(options.string("timezone")!) is not a known time zone")
        }
        let queries: any StoreQueries
        var localStore: SQLiteStore? = nil
        if let server = options.string("server") {
            guard let url = URL(string: server), url.scheme == "http" || url.scheme == "https" else {
                throw UsageError("--server \(server) is not an http(s) URL")
            }
            let token = try options.string("token-file").map { try ServeCommand.readSecret($0, what: "--token-file") }
            queries = RemoteQueries(base: url, token: token)
        } else {
            let path = options.string("data")!
            guard FileManager.default.fileExists(atPath: path) else {
                throw UsageError("--data \(path): no such store (use --data FILE or --server URL)")
            }
            let store = try SQLiteStore(path: path)
            localStore = store
            queries = store
        }
        defer { localStore?.close() }

        let now = Int64(Date().timeIntervalSince1970)
        let from = now - range
        let utcOffset: (Int64) -> Int64 = { Int64(zone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) }
        // About 20 intervals for each sparkline.
        let step: Int64 = BucketGrid.steps.first(where: { range / $0 <= 24 }) ?? 604_800
        let grid = BucketGrid(from: from, to: now, step: step, utcOffset: utcOffset)
        // The window before, on the same step (so both totals cover whole intervals alike).
        let previousGrid = BucketGrid(from: from - range, to: grid.starts[0], step: step, utcOffset: utcOffset)

        let posts = try queries.topPosts(blog: blog, from: from, to: now, limit: limit, filter: options.string("q"))
        let blogBuckets = try queries.blogSeries(blog: blog, grid: grid) ?? []
        let previous = try queries.blogSeries(blog: blog, grid: previousGrid) ?? []
        var rows: [TopTable.Row] = []
        for post in posts {
            let series = try queries.postSeries(blog: blog, id: post.id, grid: grid)
            rows.append(
                TopTable.Row(
                    label: post.slug.isEmpty ? (post.title.isEmpty ? post.id : post.title) : post.slug,
                    views: post.views, previousViews: post.previousViews, total: post.total,
                    trend: series?.buckets.map(\.views) ?? []))
        }
        let table = TopTable(
            title: "blog \(blog) · last \(options.string("range")!) to \(Timestamp.format(now))",
            views: blogBuckets.compactMap(\.views).reduce(0, +),
            previousViews: previous.compactMap(\.views).reduce(0, +),
            trend: blogBuckets.map(\.views), rows: rows)
        print(table.render(width: 80), terminator: "")
        return 0
    }
}
