public import BlogStatsCore
import BlogStatsSQLite
import Glibc
import Synchronization

/// The embedded store: one SQLite file in WAL mode; a snapshot is on disk before `ingest` returns.
public final class SQLiteStore: SnapshotStore, StoreQueries {
    private let engine: Mutex<StoreEngine?>
    /// A second connection for reads, so a long read never holds up an ingest.
    private let reader: Mutex<QueryEngine?>
    /// Held while open when this process must be the store's only writer (`soleWriter`).
    private let writerLock: Mutex<StoreWriterLock?>
    public let path: String

    /// Opens (or creates) the store and migrates its schema.
    /// - Parameters:
    ///   - busyTimeoutMilliseconds: how long a write waits for another process's lock before
    ///     the store reports itself unavailable.
    ///   - soleWriter: take `STORE.lock` first, failing with `unavailable` when another
    ///     process (a server or an import) holds it.
    ///   - durableCommits: fsync every commit (the receiver's promise). An import turns it off:
    ///     a power cut may then lose its last commits, never consistency, and a re-run redoes them.
    ///   - outbox: true: also queue every stored snapshot for the InfluxDB mirror (and keep
    ///     retention off the minute data still queued); false: the mirror is off (its indexes are
    ///     dropped); nil (tools other than the receiver, such as an import): leave the store as it is.
    public init(
        path: String, busyTimeoutMilliseconds: Int = 2000, soleWriter: Bool = false, durableCommits: Bool = true,
        outbox: Bool? = nil
    ) throws(StoreError) {
        self.path = path
        writerLock = Mutex(soleWriter ? try StoreWriterLock.acquire(store: path) : nil)
        let writer = try StoreEngine(
            path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, durableCommits: durableCommits)
        if let outbox { try writer.setOutbox(outbox) }
        engine = Mutex(writer)
        do {
            reader = Mutex(try QueryEngine(path: path))
        } catch {
            throw StoreError(error)
        }
    }

    public func ingest(_ snapshots: [Snapshot]) throws(StoreError) -> [IngestSummary] {
        try unsealAhead(snapshots)
        return try engine.withLock { (engine) throws(StoreError) -> [IngestSummary] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.ingest(snapshots)
        }
    }

    /// A snapshot older than its blog's first one, in sealed days, needs every post's days from
    /// its own on as rows: they are moved back first, here a day per lock (newest first), so that
    /// other pushes go on meanwhile. Moving changes no answer, so a request refused later loses
    /// nothing by it.
    private func unsealAhead(_ snapshots: [Snapshot]) throws(StoreError) {
        for snapshot in snapshots where snapshot.explicitTime {
            // Bounded: the background sealer may seal a day again in between; the snapshot's
            // own transaction unseals whatever is left.
            for _ in 0..<unsealAheadDays.load(ordering: .relaxed) {
                let more = try engine.withLock { (engine) throws(StoreError) -> Bool in
                    guard let engine else { throw StoreError.failed("the store is closed") }
                    return try engine.unsealNewestDay(blog: snapshot.blog, for: snapshot.capturedAt)
                }
                guard more else { break }
            }
        }
    }

    /// At most this many days are unsealed ahead of one snapshot, a day per lock (tests set 0
    /// to leave it all to the snapshot's own transaction).
    let unsealAheadDays = Atomic<Int>(1_000)

    /// Stores the snapshots and, in the same transaction, how far an import from `progress.source`
    /// has got: after a crash the recorded point and the stored snapshots always agree.
    public func ingest(_ snapshots: [Snapshot], progress: ImportProgress?) throws(StoreError) -> [IngestSummary] {
        try unsealAhead(snapshots)
        return try engine.withLock { (engine) throws(StoreError) -> [IngestSummary] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.ingest(snapshots, progress: progress)
        }
    }

    /// How far an import from `source` has got (its last `ImportProgress.through`), if it ever ran.
    public func importProgress(source: String) throws(StoreError) -> Int64? {
        try engine.withLock { (engine) throws(StoreError) -> Int64? in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.importProgress(source: source)
        }
    }

    public func health() -> StoreHealth {
        engine.withLock { engine in
            engine?.health() ?? StoreHealth(writable: false, problem: "the store is closed", lastSnapshots: [])
        }
    }

    public func blogs() throws(StoreError) -> [BlogSummary] {
        try reader.withLock { (reader) throws(StoreError) in try Self.open(reader).blogs() }
    }

    public func topPosts(
        blog: String, from: Int64, to: Int64, limit: Int, filter: String?
    ) throws(StoreError) -> [TopPost] {
        try reader.withLock { (reader) throws(StoreError) in
            try Self.open(reader).topPosts(blog: blog, from: from, to: to, limit: limit, filter: filter)
        }
    }

    public func blogSeries(blog: String, grid: BucketGrid) throws(StoreError) -> [SeriesBucket]? {
        try reader.withLock { (reader) throws(StoreError) in try Self.open(reader).blogSeries(blog: blog, grid: grid) }
    }

    public func postSeries(blog: String, id: String, grid: BucketGrid) throws(StoreError) -> PostSeries? {
        try reader.withLock { (reader) throws(StoreError) in
            try Self.open(reader).postSeries(blog: blog, id: id, grid: grid)
        }
    }

    /// Every blog's newest state as the writer holds it (for `/metrics`); blogs not in memory yet
    /// are loaded, as their next push would.
    public func liveBlogs() throws(StoreError) -> [LiveBlog] {
        try engine.withLock { (engine) throws(StoreError) -> [LiveBlog] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.liveBlogs()
        }
    }

    /// A walk over every post's current slug and title, on a connection of its own.
    public func currentNames() throws(StoreError) -> CurrentNames {
        try CurrentNames(path: path)
    }

    /// The bytes the store takes on disk: the database file and its write-ahead log.
    public func sizeInBytes() -> Int64 {
        [path, path + "-wal"].reduce(0) { total, file in
            var status = stat()
            return total + (stat(file, &status) == 0 ? Int64(status.st_size) : 0)
        }
    }

    /// Removes delivered outbox entries (InfluxDB answered 2xx for all their points).
    public func removeFromOutbox(_ entries: [OutboxEntry]) throws(StoreError) {
        try engine.withLock { (engine) throws(StoreError) in
            guard let engine else { throw StoreError.failed("the store is closed") }
            try engine.removeFromOutbox(entries)
        }
    }

    /// Parks an entry InfluxDB refused for good: kept with the reason, not sent again.
    public func park(_ entry: OutboxEntry, reason: String) throws(StoreError) {
        try engine.withLock { (engine) throws(StoreError) in
            guard let engine else { throw StoreError.failed("the store is closed") }
            try engine.park(entry, reason: reason)
        }
    }

    /// What the mirror still has to send, and how much it parked.
    public func outboxDepth() throws(StoreError) -> OutboxDepth {
        try reader.withLock { (reader) throws(StoreError) in try Self.open(reader).outboxDepth() }
    }

    /// The newest parked entries with their reasons.
    public func parkedEntries(limit: Int) throws(StoreError) -> [ParkedEntry] {
        try reader.withLock { (reader) throws(StoreError) in try Self.open(reader).parkedEntries(limit: limit) }
    }

    private static func open(_ reader: QueryEngine?) throws(StoreError) -> QueryEngine {
        guard let reader else { throw StoreError.failed("the store is closed") }
        return reader
    }

    /// Thins data older than the cutoffs, one period per lock so ingestion never waits long;
    /// returns how many periods were thinned (at most `limit`).
    @discardableResult
    public func applyRetention(
        now: Int64, keepMinutes: Int64, keepHours: Int64, utcOffset: @escaping @Sendable (Int64) -> Int64,
        limit: Int = .max
    ) throws(StoreError) -> Int {
        let blogs = try engine.withLock { (engine) throws(StoreError) -> [Int64] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.blogKeys()
        }
        var thinned = 0
        for blog in blogs {
            for (resolution, keep) in [(StoreEngine.Resolution.hour, keepMinutes), (.day, keepHours)] {
                while thinned < limit {
                    let more = try engine.withLock { (engine) throws(StoreError) -> Bool in
                        guard let engine else { throw StoreError.failed("the store is closed") }
                        return try engine.thinNextPeriod(
                            blogKey: blog, resolution: resolution, cutoff: now - keep, utcOffset: utcOffset)
                    }
                    guard more else { break }
                    thinned += 1
                }
            }
        }
        return thinned
    }

    /// Packs each blog's closed UTC days into sealed blocks (a few bytes a sample instead of
    /// about twenty), one day per lock so ingestion never waits long. A day is sealed once the
    /// blog's newest snapshot is `delay` seconds past its end, so snapshots arriving a little
    /// late still land in rows (a later one unseals its day first). Returns the days sealed.
    @discardableResult
    public func seal(delay: Int64 = SQLiteStore.sealDelay, limit: Int = .max) throws(StoreError) -> Int {
        let blogs = try engine.withLock { (engine) throws(StoreError) -> [Int64] in
            guard let engine else { throw StoreError.failed("the store is closed") }
            return try engine.blogKeys()
        }
        var sealed = 0
        for blog in blogs {
            try engine.withLock { (engine) throws(StoreError) in
                guard let engine else { throw StoreError.failed("the store is closed") }
                _ = try engine.resealLingering(blogKey: blog)
            }
            while sealed < limit {
                let more = try engine.withLock { (engine) throws(StoreError) -> Bool in
                    guard let engine else { throw StoreError.failed("the store is closed") }
                    return try engine.sealNextDay(blogKey: blog, delay: delay)
                }
                guard more else { break }
                sealed += 1
            }
        }
        return sealed
    }

    /// How long after a UTC day ends its samples are sealed, by default.
    public static let sealDelay: Int64 = 3600

    public func close() {
        reader.withLock { reader in
            reader?.close()
            reader = nil
        }
        engine.withLock { engine in
            engine?.close()
            engine = nil
        }
        writerLock.withLock { $0 = nil }
    }
}
