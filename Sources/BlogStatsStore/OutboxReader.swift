import BlogStatsSQLite

/// The mirror's read side: rebuilds the posts of each pending snapshot from the store through
/// its own connection, so the writer's lock is never held while points are built.
///
/// It keeps the state of the last snapshot it rebuilt per blog and applies only what changed
/// since (found through the samples and names indexes by time, never in sealed days), so draining a backlog of
/// similar snapshots reads little. A snapshot at or before the kept one (a late snapshot, a
/// replaced one, a new start) is rebuilt from scratch. Owned by one thread.
public final class OutboxReader {
    /// What the reader knows of one post at its blog's kept time.
    struct Known {
        var postKey: Int64
        var id: String
        /// -1: absent.
        var views: Int64
        var tags: [UInt8]
        /// False for a post first met through a sample: its name is looked up afterwards.
        var named: Bool
    }

    struct BlogState {
        var time: Int64
        var index: [Int64: Int] = [:]
        var posts: [Known] = []
    }

    private let db: Database
    private let tags: (_ blog: String, _ id: String, _ slug: String, _ title: String) -> [UInt8]
    private var blogs: [Int64: BlogState] = [:]
    private let pendingQuery: Statement
    private let fullState: Statement
    private let sampleChanges: Statement
    private let nameChanges: Statement
    private let nameAtOrBefore: Statement
    private let sealedUntil: Statement

    /// - Parameter tags: encodes a post's tag set once per name (the mirror's line-protocol prefix).
    public init(
        path: String,
        tags: @escaping (_ blog: String, _ id: String, _ slug: String, _ title: String) -> [UInt8] = { _, _, _, _ in []
        }
    ) throws(StoreError) {
        self.tags = tags
        do {
            SampleBlocks.install()
            db = try Database(path: path)
            try db.execute("PRAGMA query_only = ON")
            try db.execute("PRAGMA busy_timeout = 5000")
            pendingQuery = try db.prepare(
                """
                SELECT o.blog_key, b.name, o.t, o.seq FROM outbox o JOIN blogs b USING (blog_key)
                WHERE o.parked IS NULL ORDER BY o.t, o.blog_key LIMIT ?1
                """)
            fullState = try db.prepare(
                """
                SELECT p.post_key, p.id,
                    coalesce(
                        (SELECT coalesce(s.views, -1) FROM samples s WHERE s.post_key = p.post_key AND s.t <= ?2
                         ORDER BY s.t DESC LIMIT 1),
                        (SELECT bs_at(b.data, b.t0, ?2 + 1, 1) FROM sample_blocks b
                         WHERE b.post_key = p.post_key AND b.t0 <= ?2 ORDER BY b.t0 DESC LIMIT 1)),
                    n.slug, n.title
                FROM posts p LEFT JOIN names n ON n.post_key = p.post_key AND n.t =
                    (SELECT max(k.t) FROM names k WHERE k.post_key = p.post_key AND k.t <= ?2)
                WHERE p.blog_key = ?1 AND p.first_seen <= ?2 ORDER BY p.post_key
                """)
            sampleChanges = try db.prepare(
                """
                SELECT s.post_key, p.id, s.t, coalesce(s.views, -1) FROM samples s INDEXED BY samples_by_time
                JOIN posts p ON p.post_key = s.post_key
                WHERE s.t > ?2 AND s.t <= ?3 AND p.blog_key = ?1 ORDER BY s.t
                """)
            nameChanges = try db.prepare(
                """
                SELECT n.post_key, p.id, n.t, n.slug, n.title FROM names n INDEXED BY names_by_time
                JOIN posts p ON p.post_key = n.post_key
                WHERE n.t > ?2 AND n.t <= ?3 AND p.blog_key = ?1 ORDER BY n.t
                """)
            sealedUntil = try db.prepare(
                "SELECT coalesce((SELECT sealed_until FROM retention WHERE blog_key = ?1), 0)")
            nameAtOrBefore = try db.prepare(
                "SELECT slug, title FROM names WHERE post_key = ?1 AND t <= ?2 ORDER BY t DESC LIMIT 1")
        } catch {
            throw StoreError(error)
        }
    }

    public func close() { db.close() }

    /// Runs `body` in one read transaction: everything it reads is one consistent state.
    public func reading<T>(_ body: () throws -> T) throws -> T {
        try db.execute("BEGIN")
        defer { try? db.execute("COMMIT") }
        return try body()
    }

    /// The oldest pending entries, in capture-time order.
    public func pending(limit: Int) throws(StoreError) -> [OutboxEntry] {
        do {
            var entries: [OutboxEntry] = []
            defer { pendingQuery.reset() }
            pendingQuery.bind(.integer(Int64(limit)))
            while try pendingQuery.step() {
                entries.append(
                    OutboxEntry(
                        blog: pendingQuery.text(1), capturedAt: pendingQuery.int64(2), blogKey: pendingQuery.int64(0),
                        seq: pendingQuery.int64(3)))
            }
            return entries
        } catch {
            throw StoreError(error)
        }
    }

    /// The posts of the snapshot behind `entry`: every present post, or with `changedOnly`
    /// those whose count or name changed at its capture time (a returning post included).
    public func posts(of entry: OutboxEntry, changedOnly: Bool) throws(StoreError) -> [MirrorPost] {
        do {
            var changed: Set<Int64> = []
            // What changed since the kept time is found in rows; sealed days are read whole.
            let sealedUntil = try sealed(entry.blogKey)
            if var state = blogs.removeValue(forKey: entry.blogKey), state.time < entry.capturedAt,
                state.time >= sealedUntil
            {
                try advance(&state, blog: entry.blog, blogKey: entry.blogKey, to: entry.capturedAt, changed: &changed)
                blogs[entry.blogKey] = state
            } else {
                blogs[entry.blogKey] = try rebuild(blog: entry.blog, blogKey: entry.blogKey, at: entry.capturedAt)
                if changedOnly && entry.capturedAt <= sealedUntil {
                    // Within sealed days: what differs from the state just before.
                    let before = try rebuild(blog: entry.blog, blogKey: entry.blogKey, at: entry.capturedAt - 1)
                    for post in blogs[entry.blogKey]!.posts where post.views >= 0 {
                        let old = before.index[post.postKey].map { before.posts[$0] }
                        if old == nil || old!.views != post.views || old!.tags != post.tags {
                            changed.insert(post.postKey)
                        }
                    }
                } else if changedOnly {
                    var state = blogs[entry.blogKey]!
                    state.time = entry.capturedAt - 1
                    try advance(
                        &state, blog: entry.blog, blogKey: entry.blogKey, to: entry.capturedAt, changed: &changed)
                    blogs[entry.blogKey] = state
                }
            }
            let state = blogs[entry.blogKey]!
            var posts: [MirrorPost] = []
            if changedOnly {
                for key in changed.sorted() {
                    let post = state.posts[state.index[key]!]
                    if post.views >= 0 { posts.append(post.mirrored) }
                }
            } else {
                posts.reserveCapacity(state.posts.count)
                for post in state.posts where post.views >= 0 { posts.append(post.mirrored) }
            }
            return posts
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    private func sealed(_ blogKey: Int64) throws(SQLiteError) -> Int64 {
        defer { sealedUntil.reset() }
        return try sealedUntil.bind(.integer(blogKey)).step() ? sealedUntil.int64(0) : 0
    }

    /// Forgets what was kept (after a failed delivery the next read starts afresh anyway).
    public func forget() { blogs = [:] }

    private func rebuild(blog: String, blogKey: Int64, at time: Int64) throws -> BlogState {
        var state = BlogState(time: time)
        defer { fullState.reset() }
        fullState.bind(.integer(blogKey), .integer(time))
        while try fullState.step() {
            let id = fullState.text(1)
            state.index[fullState.int64(0)] = state.posts.count
            state.posts.append(
                Known(
                    postKey: fullState.int64(0), id: id, views: fullState.optionalInt64(2) ?? -1,
                    tags: tags(blog, id, fullState.text(3), fullState.text(4)), named: true))
        }
        return state
    }

    /// Applies the samples and names written in (state.time, time]; `changed` collects the
    /// posts written exactly at `time`.
    private func advance(
        _ state: inout BlogState, blog: String, blogKey: Int64, to time: Int64, changed: inout Set<Int64>
    ) throws {
        var touched: [Int] = []
        sampleChanges.bind(.integer(blogKey), .integer(state.time), .integer(time))
        while try sampleChanges.step() {
            let key = sampleChanges.int64(0)
            let index = slot(&state, key: key, id: sampleChanges.text(1))
            if !state.posts[index].named { touched.append(index) }
            state.posts[index].views = sampleChanges.int64(3)
            if sampleChanges.int64(2) == time { changed.insert(key) }
        }
        sampleChanges.reset()
        nameChanges.bind(.integer(blogKey), .integer(state.time), .integer(time))
        while try nameChanges.step() {
            let key = nameChanges.int64(0)
            let index = slot(&state, key: key, id: nameChanges.text(1))
            state.posts[index].tags = tags(blog, state.posts[index].id, nameChanges.text(3), nameChanges.text(4))
            state.posts[index].named = true
            if nameChanges.int64(2) == time { changed.insert(key) }
        }
        nameChanges.reset()
        for index in touched where !state.posts[index].named {
            // Came back without a new name: its name is from before the kept time.
            defer { nameAtOrBefore.reset() }
            let found = try nameAtOrBefore.bind(.integer(state.posts[index].postKey), .integer(time)).step()
            state.posts[index].tags = tags(
                blog, state.posts[index].id, found ? nameAtOrBefore.text(0) : "", found ? nameAtOrBefore.text(1) : "")
            state.posts[index].named = true
        }
        state.time = time
    }

    private func slot(_ state: inout BlogState, key: Int64, id: String) -> Int {
        if let index = state.index[key] { return index }
        state.index[key] = state.posts.count
        state.posts.append(Known(postKey: key, id: id, views: -1, tags: [], named: false))
        return state.posts.count - 1
    }
}

extension OutboxReader.Known {
    var mirrored: MirrorPost { MirrorPost(id: id, views: views, tags: tags) }
}
