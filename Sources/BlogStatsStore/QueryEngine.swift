import BlogStatsCore
import BlogStatsSQLite

/// The read side: its own connection, so reads never wait for the writer (WAL) and the
/// writer never waits for reads. Used under `SQLiteStore`'s read lock.
final class QueryEngine {
    let db: Database
    private let blogKey: Statement
    private let snapshotBefore: Statement
    private let post: Statement
    private let names: Statement
    private let top: Statement
    private let snapshotsIn: Statement
    private let lookup: SampleLookup
    private let blogList: Statement

    init(path: String) throws(SQLiteError) {
        SampleBlocks.install()
        db = try Database(path: path)
        try db.execute("PRAGMA query_only = ON")
        lookup = try SampleLookup(db)
        blogKey = try db.prepare("SELECT blog_key FROM blogs WHERE name = ?1")
        snapshotBefore = try db.prepare(
            "SELECT t, total_views, gained_total FROM snapshots WHERE blog_key = ?1 AND t < ?2 ORDER BY t DESC LIMIT 1")
        snapshotsIn = try db.prepare(
            "SELECT t, total_views, gained_total FROM snapshots WHERE blog_key = ?1 AND t >= ?2 AND t < ?3 ORDER BY t")
        post = try db.prepare("SELECT post_key, first_seen FROM posts WHERE blog_key = ?1 AND id = ?2")
        names = try db.prepare("SELECT t, slug, title FROM names WHERE post_key = ?1 ORDER BY t")
        blogList = try db.prepare(
            """
            SELECT b.name, s.t, s.rows, s.total_views
            FROM blogs b LEFT JOIN snapshots s ON s.blog_key = b.blog_key
                AND s.t = (SELECT max(t) FROM snapshots WHERE blog_key = b.blog_key)
            ORDER BY b.name
            """)
        // Each window's views are two seeks into the post's running totals (a row, or else
        // the last sealed block before the time).
        func last(_ column: String, field: Int, before: String) -> String {
            """
            coalesce(
                (SELECT \(column) FROM samples s WHERE s.post_key = p.post_key AND s.t < \(before)
                    ORDER BY s.t DESC LIMIT 1),
                (SELECT bs_at(b.data, b.t0, \(before), \(field)) FROM sample_blocks b
                    WHERE b.post_key = p.post_key AND b.t0 < \(before) ORDER BY b.t0 DESC LIMIT 1))
            """
        }
        top = try db.prepare(
            """
            WITH ranked AS (
                SELECT p.post_key, p.id, p.first_seen,
                    \(last("gained_total", field: 2, before: "?3")) AS at_end,
                    \(last("gained_total", field: 2, before: "?2")) AS at_start,
                    \(last("gained_total", field: 2, before: "?4")) AS at_previous,
                    nullif(\(last("coalesce(views, -1)", field: 1, before: "?3")), -1) AS total,
                    (SELECT slug FROM names n WHERE n.post_key = p.post_key ORDER BY n.t DESC LIMIT 1) AS slug,
                    (SELECT title FROM names n WHERE n.post_key = p.post_key ORDER BY n.t DESC LIMIT 1) AS title
                FROM posts p WHERE p.blog_key = ?1 AND p.first_seen < ?3
            )
            SELECT id, slug, title, coalesce(at_end, 0) - coalesce(at_start, 0) AS views,
                coalesce(at_start, 0) - coalesce(at_previous, 0), total, first_seen
            FROM ranked
            ORDER BY views DESC, total DESC, id
            LIMIT ?5
            """)
    }

    func close() { db.close() }

    func blogs() throws(StoreError) -> [BlogSummary] { try mapped { try loadBlogs() } }

    func topPosts(blog: String, from: Int64, to: Int64, limit: Int, filter: String?) throws(StoreError) -> [TopPost] {
        try mapped { try loadTopPosts(blog: blog, from: from, to: to, limit: limit, filter: filter) }
    }

    func blogSeries(blog: String, grid: BucketGrid) throws(StoreError) -> [SeriesBucket]? {
        try mapped { try loadBlogSeries(blog: blog, grid: grid) }
    }

    func postSeries(blog: String, id: String, grid: BucketGrid) throws(StoreError) -> PostSeries? {
        try mapped { try loadPostSeries(blog: blog, id: id, grid: grid) }
    }

    private func mapped<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try body()
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    private func key(of blog: String) throws -> Int64? {
        defer { blogKey.reset() }
        return try blogKey.bind(.text(blog)).step() ? blogKey.int64(0) : nil
    }

    private func loadBlogs() throws -> [BlogSummary] {
        defer { blogList.reset() }
        var blogs: [BlogSummary] = []
        while try blogList.step() {
            blogs.append(
                BlogSummary(
                    name: blogList.text(0), posts: Int(blogList.int64(2)), totalViews: blogList.int64(3),
                    lastSnapshot: blogList.optionalInt64(1)))
        }
        return blogs
    }

    private func loadTopPosts(blog: String, from: Int64, to: Int64, limit: Int, filter: String?) throws -> [TopPost] {
        guard let blogKey = try key(of: blog) else { return [] }
        defer { top.reset() }
        // A filter is matched in Swift: SQLite's lower() folds ASCII letters only ("Été").
        let needle = filter?.lowercased()
        let sqlLimit = needle == nil ? Int64(limit) : -1
        top.bind(.integer(blogKey), .integer(from), .integer(to), .integer(from - (to - from)), .integer(sqlLimit))
        var posts: [TopPost] = []
        while posts.count < limit, try top.step() {
            let slug = top.text(1)
            let title = top.text(2)
            if let needle, !slug.lowercased().contains(needle), !title.lowercased().contains(needle) { continue }
            posts.append(
                TopPost(
                    id: top.text(0), slug: slug, title: title, views: top.int64(3), previousViews: top.int64(4),
                    total: top.optionalInt64(5), firstSeen: top.int64(6)))
        }
        return posts
    }

    /// The blog's last snapshot before `time`: (time, total views, running total).
    private func snapshot(blogKey: Int64, before time: Int64) throws -> (Int64, Int64, Int64)? {
        defer { snapshotBefore.reset() }
        guard try snapshotBefore.bind(.integer(blogKey), .integer(time)).step() else { return nil }
        return (snapshotBefore.int64(0), snapshotBefore.int64(1), snapshotBefore.int64(2))
    }

    private func loadBlogSeries(blog: String, grid: BucketGrid) throws -> [SeriesBucket]? {
        guard let blogKey = try key(of: blog) else { return nil }
        let before = try snapshot(blogKey: blogKey, before: grid.starts[0]).map {
            SeriesPoint(cumulative: $0.1, gainedTotal: $0.2)
        }
        let points = try lastSnapshots(blogKey: blogKey, grid: grid).map { last in
            last.map { SeriesPoint(cumulative: $0.1, gainedTotal: $0.2) }
        }
        // A deleted post lowers the blog's total without being a reset.
        return Series.buckets(grid: grid, before: before, points: points, detectResets: false)
    }

    /// Each bucket's last snapshot (time, total views, running total), or nil for a gap. Many
    /// snapshots per bucket (a year at daily step): one seek per bucket; few (a day at minute
    /// step): one scan of the window.
    private func lastSnapshots(blogKey: Int64, grid: BucketGrid) throws -> [(Int64, Int64, Int64)?] {
        var result = [(Int64, Int64, Int64)?](repeating: nil, count: grid.count)
        let window = grid.end - grid.starts[0]
        if window / Int64(grid.count) > 16 * 60 {
            for index in 0..<grid.count {
                if let last = try snapshot(blogKey: blogKey, before: grid.bucketEnd(index)),
                    last.0 >= grid.starts[index]
                {
                    result[index] = last
                }
            }
            return result
        }
        defer { snapshotsIn.reset() }
        snapshotsIn.bind(.integer(blogKey), .integer(grid.starts[0]), .integer(grid.end))
        var index = 0
        while try snapshotsIn.step() {
            let time = snapshotsIn.int64(0)
            while grid.bucketEnd(index) <= time { index += 1 }
            result[index] = (time, snapshotsIn.int64(1), snapshotsIn.int64(2))
        }
        return result
    }

    /// The post's state at each bucket's last snapshot: one seek each, or one scan of the window.
    private func postPoints(
        postKey: Int64, grid: BucketGrid, at snapshots: [(Int64, Int64, Int64)?]
    ) throws -> [SeriesPoint?] {
        let window = grid.end - grid.starts[0]
        if window / Int64(grid.count) > 16 * 60 {
            return try snapshots.map { last in try last.map { try postPoint(postKey: postKey, at: $0.0) } }
        }
        let samples = try lookup.range(postKey, from: grid.starts[0], to: grid.end).map {
            ($0.t, SeriesPoint(cumulative: $0.views, gainedTotal: $0.total))
        }
        var current = try postPoint(postKey: postKey, at: grid.starts[0] - 1)
        var next = 0
        return snapshots.map { last in
            guard let last else { return nil }
            while next < samples.count && samples[next].0 <= last.0 {
                current = samples[next].1
                next += 1
            }
            return current
        }
    }

    private func postPoint(postKey: Int64, at time: Int64) throws -> SeriesPoint {
        guard let sample = try lookup.last(postKey, before: time + 1) else {
            return SeriesPoint(cumulative: nil, gainedTotal: 0)
        }
        return SeriesPoint(cumulative: sample.views, gainedTotal: sample.total)
    }

    private func loadPostSeries(blog: String, id: String, grid: BucketGrid) throws -> PostSeries? {
        guard let blogKey = try key(of: blog) else { return nil }
        guard try post.bind(.integer(blogKey), .text(id)).step() else {
            post.reset()
            return nil
        }
        let postKey = post.int64(0)
        let firstSeen = post.int64(1)
        post.reset()

        let before = try snapshot(blogKey: blogKey, before: grid.starts[0]).map {
            try postPoint(postKey: postKey, at: $0.0)
        }
        let points = try postPoints(postKey: postKey, grid: grid, at: lastSnapshots(blogKey: blogKey, grid: grid))
        var series = PostSeries(
            id: id, firstSeen: firstSeen, buckets: Series.buckets(grid: grid, before: before, points: points),
            names: [], removed: [])
        names.bind(.integer(postKey))
        while try names.step() {
            series.names.append(PostSeries.Name(since: names.int64(0), slug: names.text(1), title: names.text(2)))
        }
        names.reset()
        // Samples are change-only, so each NULL sample starts one absence; the next count ends it.
        for time in try lookup.absences(postKey) {
            series.removed.append(PostSeries.Absence(from: time, to: try lookup.presentAfter(postKey, after: time)))
        }
        return series
    }
}
