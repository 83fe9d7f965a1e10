import BlogStatsCore
import BlogStatsStore

/// One `/metrics` answer being written, a chunk at a time: the receiver's own figures and the
/// blogs' first, then `blogstats_post_info` while walking the posts' current names, then
/// `blogstats_post_views_total` from the writer's newest state in memory.
///
/// Counts come from memory (the writer's state of each blog, taken when the scrape began), names
/// from one backward walk of the `names` table; the walk keeps each present post's slug for the
/// second family, so both show the same slug. Removed posts (missing from their blog's newest
/// snapshot) are left out of both post families. Used by one thread at a time.
final class MetricsExposition {
    /// A chunk is at least this big, except the last.
    static let chunkSize = 64 * 1024

    /// The figures a scrape reports besides the blogs' state.
    struct Health {
        var counts: IngestCounts
        var storeBytes: Int64
        /// nil: no InfluxDB mirror, and no `blogstats_outbox_points`.
        var outboxPoints: Int?
    }

    private enum Phase {
        case head, info, views, done
    }

    private var writer: ExpositionWriter
    private let health: Health
    private let blogs: [LiveBlog]
    private var names: CurrentNames?
    private var phase = Phase.head
    private let chunkSize: Int
    /// Post key → 1 + the post's place among all blogs' posts (`base[blog] + index`), for present
    /// posts only; 0 for any other key.
    private var place: [Int32] = []
    private var base: [Int] = []
    private var blogOf: [Int32] = []
    /// Each present post's slug as the walk found it, a range of `slugBytes`.
    private var slugBytes: [UInt8] = []
    private var slugs: [Range<Int>] = []
    /// Where the views family is: blog, then post index.
    private var blogIndex = 0
    private var postIndex = 0

    init(
        format: ExpositionFormat, health: Health, blogs: [LiveBlog], names: sending CurrentNames,
        chunkSize: Int = MetricsExposition.chunkSize
    ) {
        writer = ExpositionWriter(format: format, capacity: chunkSize + 4096)
        self.health = health
        self.blogs = blogs
        self.names = names
        self.chunkSize = max(1, chunkSize)
        index()
    }

    /// The next chunk, or nil at the end.
    func next() throws(StoreError) -> [UInt8]? {
        while writer.bytes.count < chunkSize && phase != .done {
            switch phase {
            case .head:
                writeHealth()
                writeBlogs()
                writer.declare(MetricFamilies.postInfo)
                phase = .info
            case .info:
                if try !writeInfo(limit: 256) {
                    writer.declare(MetricFamilies.postViews)
                    phase = .views
                }
            case .views:
                if !writeViews() {
                    writer.finish()
                    phase = .done
                }
            case .done: break
            }
        }
        let chunk = writer.take()
        return chunk.isEmpty ? nil : chunk
    }

    /// Ends early: the names walk's connection goes.
    func close() {
        names?.close()
        names = nil
        phase = .done
    }

    private func index() {
        var total = 0
        var maxKey: Int64 = 0
        for blog in blogs {
            base.append(total)
            total += blog.postCount
            for index in 0..<blog.postCount { maxKey = max(maxKey, blog.postKey(at: index)) }
        }
        place = [Int32](repeating: 0, count: Int(maxKey) + 1)
        blogOf = [Int32](repeating: 0, count: total)
        slugs = [Range<Int>](repeating: 0..<0, count: total)
        for (number, blog) in blogs.enumerated() {
            for index in 0..<blog.postCount where blog.views(at: index) != nil {
                let key = blog.postKey(at: index)
                if key >= 0 { place[Int(key)] = Int32(base[number] + index + 1) }
                blogOf[base[number] + index] = Int32(number)
            }
        }
    }

    private func writeHealth() {
        let counts = health.counts
        writer.declare(MetricFamilies.snapshotsReceived)
        writer.begin(MetricFamilies.snapshotsReceived.sampleName)
        writer.value(Int64(clamping: counts.received))
        writer.declare(MetricFamilies.snapshotsRejected)
        for reason in RejectionReason.allCases {
            writer.begin(MetricFamilies.snapshotsRejected.sampleName)
            writer.label("reason", reason.rawValue)
            writer.value(Int64(clamping: counts.rejected(reason)))
        }
        writer.declare(MetricFamilies.ingestRows)
        writer.begin(MetricFamilies.ingestRows.sampleName)
        writer.value(Int64(clamping: counts.rows))
        writer.declare(MetricFamilies.ingestDuration)
        writer.histogram(MetricFamilies.ingestDuration, counts.duration)
        writer.declare(MetricFamilies.storeSize)
        writer.begin(MetricFamilies.storeSize.sampleName)
        writer.value(health.storeBytes)
        if let points = health.outboxPoints {
            writer.declare(MetricFamilies.outboxPoints)
            writer.begin(MetricFamilies.outboxPoints.sampleName)
            writer.value(Int64(points))
        }
    }

    private func writeBlogs() {
        writer.declare(MetricFamilies.blogViews)
        for blog in blogs {
            writer.begin(MetricFamilies.blogViews.sampleName)
            writer.label("blog", blog.name)
            writer.value(blog.viewsEverSeen)
        }
        writer.declare(MetricFamilies.blogPosts)
        for blog in blogs {
            writer.begin(MetricFamilies.blogPosts.sampleName)
            writer.label("blog", blog.name)
            writer.value(Int64(blog.presentCount))
        }
        writer.declare(MetricFamilies.blogLastSnapshot)
        for blog in blogs {
            guard let latest = blog.latest else { continue }
            writer.begin(MetricFamilies.blogLastSnapshot.sampleName)
            writer.label("blog", blog.name)
            writer.value(latest)
        }
    }

    /// Up to `limit` posts' info lines; false when the walk is over.
    private func writeInfo(limit: Int) throws(StoreError) -> Bool {
        guard let names else { return false }
        let name = MetricFamilies.postInfo.sampleName
        // Locals, not properties, in the loop: no exclusivity check per access.
        var writer = self.writer
        var slugBytes = self.slugBytes
        self.writer = ExpositionWriter(format: writer.format)
        self.slugBytes = []
        defer {
            self.writer = writer
            self.slugBytes = slugBytes
        }
        let more = try names.next(limit: limit) { key, slug, title in
            guard key >= 0, key < Int64(place.count), case let number = Int(place[Int(key)]), number > 0 else { return }
            let global = number - 1
            let blogNumber = Int(blogOf[global])
            let start = slugBytes.count
            slugBytes.append(contentsOf: slug)
            slugs[global] = start..<slugBytes.count
            writer.begin(name)
            writer.label("blog", blogs[blogNumber].name)
            writer.label("id", blogs[blogNumber].id(at: global - base[blogNumber]))
            writer.label("slug", slug)
            writer.label("title", title)
            writer.value(Int64(1))
        }
        if !more { self.names = nil }
        return more
    }

    /// Views lines until the chunk is full; false when every blog is done.
    private func writeViews() -> Bool {
        let name = MetricFamilies.postViews.sampleName
        var writer = self.writer
        self.writer = ExpositionWriter(format: writer.format)
        defer { self.writer = writer }
        return slugBytes.withUnsafeBufferPointer { slugBytes in
            while blogIndex < blogs.count {
                let blog = blogs[blogIndex]
                let offset = base[blogIndex]
                while postIndex < blog.postCount {
                    guard writer.bytes.count < chunkSize else { return true }
                    let index = postIndex
                    postIndex += 1
                    guard let views = blog.views(at: index) else { continue }
                    writer.begin(name)
                    writer.label("blog", blog.name)
                    writer.label("id", blog.id(at: index))
                    writer.label("slug", UnsafeBufferPointer(rebasing: slugBytes[slugs[offset + index]]))
                    writer.value(views)
                }
                blogIndex += 1
                postIndex = 0
            }
            return false
        }
    }
}
