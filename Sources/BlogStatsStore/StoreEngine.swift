import BlogStatsCore
import BlogStatsSQLite

/// The store's connection, prepared statements and in-memory newest state of each blog.
/// Always used under `SQLiteStore`'s lock.
final class StoreEngine {
    let db: Database
    let sql: Statements
    let lookup: SampleLookup
    /// Newest state per blog name, loaded on first use.
    var blogs: [String: BlogState] = [:]
    /// Whether each stored snapshot also gets an outbox row for the InfluxDB mirror.
    var outbox = false

    init(path: String, busyTimeoutMilliseconds: Int, durableCommits: Bool = true) throws(StoreError) {
        SampleBlocks.install()
        do {
            db = try Database(path: path)
            try db.execute("PRAGMA busy_timeout = \(busyTimeoutMilliseconds)")
            // WAL: readers never block the writer; FULL: the WAL is fsynced at every commit,
            // so an acknowledged snapshot survives power loss.
            _ = try db.integer("PRAGMA journal_mode = WAL")
            try db.execute("PRAGMA synchronous = \(durableCommits ? "FULL" : "NORMAL")")
            try db.execute("PRAGMA foreign_keys = ON")
            try Schema.migrate(db)
            sql = try Statements(db)
            lookup = try SampleLookup(db)
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    func close() {
        try? db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        db.close()
    }

    /// What a snapshot's write changes in memory, applied only once its transaction committed.
    enum CacheChange {
        /// `posts`: changed entries by index in the blog's table; `added`: new posts to append.
        case update(
            blog: String, state: BlogState?, posts: [(Int, PostState)], added: [(String, UInt64, PostState)],
            latest: Int64, order: [Int32], gainedTotal: Int64)
        /// A late snapshot rewrote history: reload this blog's newest state on next use.
        case forget(blog: String)
    }

    func ingest(_ snapshots: [Snapshot], progress: ImportProgress? = nil) throws(StoreError) -> [IngestSummary] {
        // Each blog's newest state in memory moves only after the commit, so one blog per call.
        guard Set(snapshots.map(\.blog)).count == snapshots.count else {
            throw StoreError.failed("one request may hold only one snapshot per blog")
        }
        var summaries: [IngestSummary] = []
        var changes: [CacheChange] = []
        do {
            try db.transaction {
                for snapshot in snapshots {
                    let (summary, change) = try store(snapshot)
                    summaries.append(summary)
                    if let change { changes.append(change) }
                }
                if let progress { try record(progress) }
            }
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed("\(error)")
        }
        for change in changes { apply(change) }
        return summaries
    }

    private func apply(_ change: CacheChange) {
        switch change {
        case .forget(let blog):
            blogs[blog] = nil
        case .update(let blog, let fresh, let posts, let added, let latest, let order, let gainedTotal):
            if let fresh { blogs[blog] = fresh }
            blogs[blog]!.latest = latest
            blogs[blog]!.presentCount = order.count
            blogs[blog]!.order = order
            blogs[blog]!.gainedTotal = gainedTotal
            for (index, state) in posts { blogs[blog]!.posts.values[index] = state }
            blogs[blog]!.posts.reserve(added.count)
            for (id, hash, state) in added { blogs[blog]!.posts.append(id, hash: hash, state) }
        }
    }

    private func store(_ snapshot: Snapshot) throws -> (IngestSummary, CacheChange?) {
        let (blog, isNewBlog) = try blogState(snapshot.blog)
        let time = snapshot.capturedAt
        let stored =
            if let latest = blog.latest, time <= latest {
                try storeLate(snapshot, blog: blog)
            } else {
                try append(snapshot, to: blog, isNewBlog: isNewBlog)
            }
        // In the snapshot's own transaction: the mirror learns of every stored snapshot, and
        // of no rejected or duplicate one. One small row, whatever the snapshot's size.
        if outbox && !stored.0.duplicate { try sql.queueOutbox.run(.integer(blog.key), .integer(time)) }
        return stored
    }

    /// The blog's newest state, loading it on first use or creating the blog.
    private func blogState(_ name: String) throws -> (BlogState, Bool) {
        if let state = blogs[name] { return (state, false) }
        if try sql.findBlog.bind(.text(name)).step() {
            let key = sql.findBlog.int64(0)
            sql.findBlog.reset()
            let state = try loadNewest(blogKey: key)
            blogs[name] = state
            return (state, false)
        }
        try sql.insertBlog.run(.text(name))
        return (BlogState(key: db.lastInsertRowID, latest: nil, posts: IDTable(), presentCount: 0), true)
    }

    func health() -> StoreHealth {
        var health = StoreHealth(writable: true, problem: nil, lastSnapshots: [])
        do {
            // Taking the write lock and letting go proves the file and its lock are usable.
            try db.execute("BEGIN IMMEDIATE")
            try db.execute("ROLLBACK")
        } catch {
            health.writable = false
            health.problem = error.message
        }
        do {
            let query = try db.prepare(
                "SELECT b.name, (SELECT max(t) FROM snapshots s WHERE s.blog_key = b.blog_key) FROM blogs b ORDER BY b.name"
            )
            while try query.step() {
                if let time = query.optionalInt64(1) { health.lastSnapshots.append((query.text(0), time)) }
            }
        } catch {
            health.problem = health.problem ?? error.message
        }
        return health
    }
}
