// The query benchmark of `make bench`: writes a synthetic history (one-minute snapshots of a
// blog with Zipf-like popularity) straight into a store file, then times the questions the
// dashboard and the API ask. Usage: blogstats-query-bench [POSTS] [DAYS] [CHANGE_RATE] [STORE]
import BlogStatsCore
import BlogStatsSQLite
import BlogStatsStore
import Foundation
import Synchronization

let arguments = CommandLine.arguments
let posts = arguments.count > 1 ? Int(arguments[1])! : 1000
let days = arguments.count > 2 ? Int(arguments[2])! : 365
let changeRate = arguments.count > 3 ? Double(arguments[3])! : 0.023
let path = arguments.count > 4 ? arguments[4] : NSTemporaryDirectory() + "blogstats-query-bench-\(posts).db"

var random = SplitMix(seed: 42)
let minutes = days * 1440
let now = Int64(Date().timeIntervalSince1970) / 60 * 60
let start = now - Int64(minutes - 1) * 60

// Zipf weights; the blog's views per minute are set so that `changeRate` of posts change a minute.
let weights = (0..<posts).map { 1.0 / Double($0 + 1) }
let weightSum = weights.reduce(0, +)
func changedFraction(_ rate: Double) -> Double {
    weights.reduce(0) { $0 + (1 - exp(-rate * $1 / weightSum)) } / Double(posts)
}
var low = 0.0
var high = 1e7
for _ in 0..<60 {
    let middle = (low + high) / 2
    if changedFraction(middle) < changeRate { low = middle } else { high = middle }
}
let viewsPerMinute = low

for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
let store = try SQLiteStore(path: path)
store.close()
let db = try Database(path: path)
try db.execute("PRAGMA synchronous = OFF")
try db.execute("BEGIN")
try db.execute("INSERT INTO blogs(blog_key, name) VALUES (1, 'default')")
let insertPost = try db.prepare("INSERT INTO posts(post_key, blog_key, id, first_seen) VALUES (?1, 1, ?2, ?3)")
let insertName = try db.prepare("INSERT INTO names(post_key, t, slug, title) VALUES (?1, ?2, ?3, ?4)")
let insertSample = try db.prepare("INSERT INTO samples(post_key, t, views, gained_total) VALUES (?1, ?2, ?3, ?4)")
let insertSnapshot = try db.prepare(
    "INSERT INTO snapshots(blog_key, t, rows, total_views, gained, gained_total) VALUES (1, ?1, ?2, ?3, ?4, ?5)"
)

let generationStart = ContinuousClock.now
var gains = [Int64](repeating: 0, count: minutes)  // the blog's gain in each minute
var present = [Int32](repeating: 0, count: minutes)  // posts present from each minute on (difference array)
var baseline: Int64 = 0
var sampleCount = 0
for post in 0..<posts {
    let rate = viewsPerMinute * weights[post] / weightSum
    let change = 1 - exp(-rate)
    // One post in five appears during the period, counting from zero; the others have a history.
    let appears = post % 5 == 4 ? Int(random.next() % UInt64(minutes)) : 0
    var views: Int64 = appears == 0 ? Int64(rate * 1440 * 200) + Int64(random.next() % 50) : 0
    var total: Int64 = 0
    let key = Int64(post + 1)
    let first = start + Int64(appears) * 60
    try insertPost.run(.integer(key), .text(String(format: "p%09d", post)), .integer(first))
    try insertName.run(.integer(key), .integer(first), .text("post-\(post)"), .text("Post number \(post)"))
    if appears == 0 { baseline += views }
    present[appears] += 1
    try insertSample.run(.integer(key), .integer(first), .integer(views), .integer(0))
    sampleCount += 1
    var minute = appears
    while true {
        // Minutes until the next one with a view: geometric.
        let u = max(Double(random.next() >> 11) / Double(1 << 53), 1e-12)
        minute += 1 + Int(log(u) / log(1 - change))
        guard minute < minutes, change > 0 else { break }
        let extra = rate > 1 ? Int64(rate + sqrt(rate) * random.gaussian()) : 0
        let gain = max(1, extra)
        views += gain
        total += gain
        gains[minute] += gain
        try insertSample.run(.integer(key), .integer(start + Int64(minute) * 60), .integer(views), .integer(total))
        sampleCount += 1
    }
}
var rows: Int64 = 0
var totalViews = baseline
var running: Int64 = 0
for minute in 0..<minutes {
    rows += Int64(present[minute])
    totalViews += gains[minute]
    running += gains[minute]
    try insertSnapshot.run(
        .integer(start + Int64(minute) * 60), .integer(rows), .integer(totalViews), .integer(gains[minute]),
        .integer(running))
}
try db.execute("COMMIT")
try db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
db.close()
let generation = ContinuousClock.now - generationStart

// The questions, each asked several times on a freshly opened store; medians in ms.
func median(_ runs: Int = 15, _ body: () throws -> Void) rethrows -> Double {
    var times: [Double] = []
    for _ in 0..<runs {
        let began = ContinuousClock.now
        try body()
        let elapsed = (ContinuousClock.now - began).components
        times.append(Double(elapsed.seconds) * 1000 + Double(elapsed.attoseconds) / 1e15)
    }
    return times.sorted()[runs / 2]
}
func seconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
}
let day: Int64 = 86_400
let yearGrid = BucketGrid(from: now - Int64(days) * day, to: now, step: day)
let minuteGrid = BucketGrid(from: now - day, to: now, step: 60)

struct Answers {
    var top30 = 0.0, postYear = 0.0, post24h = 0.0, blogYear = 0.0
    var postDaily: PostSeries?
    var blogDaily: [SeriesBucket]?
    var top: [TopPost] = []
    var postMinutes: PostSeries?
}
func ask() throws -> Answers {
    let queries = try SQLiteStore(path: path)
    defer { queries.close() }
    var answers = Answers()
    answers.top30 = try median {
        _ = try queries.topPosts(blog: "default", from: now - 30 * day, to: now, limit: 20, filter: nil)
    }
    answers.postYear = try median { _ = try queries.postSeries(blog: "default", id: "p000000000", grid: yearGrid) }
    answers.post24h = try median { _ = try queries.postSeries(blog: "default", id: "p000000000", grid: minuteGrid) }
    answers.blogYear = try median { _ = try queries.blogSeries(blog: "default", grid: yearGrid) }
    answers.postDaily = try queries.postSeries(blog: "default", id: "p000000000", grid: yearGrid)
    answers.blogDaily = try queries.blogSeries(blog: "default", grid: yearGrid)
    answers.top = try queries.topPosts(blog: "default", from: now - 30 * day, to: now, limit: 20, filter: nil)
    answers.postMinutes = try queries.postSeries(blog: "default", id: "p000000000", grid: minuteGrid)
    return answers
}
func show(_ name: String, _ value: Double, _ target: Double) {
    let verdict = value < target ? "ok" : "MISSED"
    let padded = name + String(repeating: " ", count: max(0, 36 - name.count))
    print("  " + padded + String(format: "%9.2f ms   target < %3.0f ms  ", value, target) + verdict)
}
func showAll(_ answers: Answers) {
    show("top posts, 30 days", answers.top30, posts > 10_000 ? 300 : 50)
    guard posts <= 10_000 else { return }
    show("one post, 1 year at daily step", answers.postYear, 10)
    show("one post, 24 h at minute step", answers.post24h, 10)
    show("blog totals, 1 year at daily step", answers.blogYear, 10)
}
/// Bytes of the pages in use (the file keeps freed pages until a VACUUM).
func usedBytes() throws -> Int64 {
    let db = try Database(path: path)
    defer { db.close() }
    return try db.integer(
        "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size"
    )
}

func fileBytes() -> Int64 {
    ((try? FileManager.default.attributesOfItem(atPath: path)[.size]) as? Int64) ?? 0
}

let rowAnswers = try ask()
let rowBytes = try usedBytes()
let logical = Double(posts) * Double(minutes)
print(
    "query benchmark: \(posts) posts, \(days) days of one-minute snapshots, \(changeRate * 100)% of posts change a minute"
)
print(String(format: "  generated %d samples and %d snapshots in %.1f s", sampleCount, minutes, seconds(generation)))
// `serve` seals each closed UTC day an hour after it ends; here the whole year at once.
let sealingStart = ContinuousClock.now
let sealer = try SQLiteStore(path: path)
let sealedDays = try sealer.seal()
sealer.close()
let sealing = ContinuousClock.now - sealingStart
let minuteAnswers = try ask()
let bytes = try usedBytes()
print(
    String(
        format: "  every snapshot at minute resolution, before any thinning (%d closed days sealed in %.1f s):",
        sealedDays, seconds(sealing)))
showAll(minuteAnswers)
print(
    "  the same answers from the rows before sealing: \(rowAnswers.top == minuteAnswers.top && rowAnswers.postDaily == minuteAnswers.postDaily && rowAnswers.postMinutes == minuteAnswers.postMinutes && rowAnswers.blogDaily == minuteAnswers.blogDaily ? "yes" : "NO")"
)
print(
    String(
        format: "    (before sealing: top posts %.2f ms, post 1 y %.2f ms, post 24 h %.2f ms, blog 1 y %.2f ms)",
        rowAnswers.top30, rowAnswers.postYear, rowAnswers.post24h, rowAnswers.blogYear))
if posts <= 10_000 {
    if days >= 14 {
        // A snapshot arriving a week late (a spool replayed after an outage): the posts it
        // changes go back to rows from its day on, it is stored, and the next pass packs them
        // again. It holds the counts of the snapshot after it, 30 s earlier: no answer asked
        // here (30-day totals, daily series, the last 24 h) may change.
        let lateTime = now - 7 * day + 30
        let following = try ExportStream(
            path: path,
            request: ExportRequest(kind: .snapshots, blog: "default", from: lateTime + 30, to: lateTime + 31))
        var csv: [UInt8] = []
        while let chunk = try following.next() { csv += chunk }
        following.close()
        let lateRows = String(decoding: csv, as: UTF8.self).split(separator: "\r\n").dropFirst().map { line in
            let cells = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            return SnapshotRow(id: cells[2], slug: cells[3], title: cells[5], views: Int64(cells[4])!)
        }
        let lateStore = try SQLiteStore(path: path)
        // Meanwhile another blog pushes one small snapshot after another: the longest it waits
        // is what the late snapshot costs every other push.
        let other = OtherPushes()
        let pusher = Thread {
            var time = now + 1
            while !other.stop.load(ordering: .relaxed) {
                let rows = (0..<10).map { SnapshotRow(id: "o\($0)", slug: "o\($0)", title: "Other", views: time) }
                let start = ContinuousClock.now
                _ = try? lateStore.ingest([Snapshot(blog: "other", capturedAt: time, explicitTime: true, rows: rows)])
                let wait = seconds(ContinuousClock.now - start)
                other.longest.withLock { $0 = max($0, wait) }
                time += 1
                usleep(2000)
            }
            other.done.signal()
        }
        pusher.start()
        let lateStart = ContinuousClock.now
        let lateSummary = try lateStore.ingest([
            Snapshot(blog: "default", capturedAt: lateTime, explicitTime: true, rows: lateRows)
        ])[0]
        let lateStored = ContinuousClock.now - lateStart
        other.stop.store(true, ordering: .relaxed)
        other.done.wait()
        let resealStart = ContinuousClock.now
        _ = try lateStore.seal()
        let reseal = ContinuousClock.now - resealStart
        lateStore.close()
        let afterLate = try ask()
        let unchanged =
            afterLate.top == minuteAnswers.top && afterLate.postDaily == minuteAnswers.postDaily
            && afterLate.blogDaily == minuteAnswers.blogDaily && afterLate.postMinutes == minuteAnswers.postMinutes
        print(
            String(
                format:
                    "  a snapshot 7 days late (%d rows, %d changed): stored in %.3f s (the posts it changes unsealed from its day on), sealed again in %.3f s; answers unchanged: %@",
                lateRows.count, lateSummary.changed, seconds(lateStored), seconds(reseal), unchanged ? "yes" : "NO"))
        print(
            String(
                format: "    (meanwhile another blog's pushes waited at most %.0f ms)",
                other.longest.withLock { $0 } * 1000))
    }

    let perSample = Double(bytes) / logical
    print(
        String(
            format:
                "  store %.1f MB of pages in use, %.3f bytes per logical sample (posts × snapshots)   target < 0.1  %@",
            Double(bytes) / 1e6, perSample, perSample < 0.1 ? "ok" : "MISSED"))
    print(
        String(
            format: "    (unsealed rows: %.1f MB, %.3f bytes per logical sample)", Double(rowBytes) / 1e6,
            Double(rowBytes) / logical))
    // Sealing a year at once frees the rows' pages in bulk; a receiver sealing day by day reuses them.
    let vacuum = try Database(path: path)
    try vacuum.execute("VACUUM")
    try vacuum.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    vacuum.close()
    print(String(format: "    (the file after VACUUM: %.1f MB)", Double(fileBytes()) / 1e6))

    // Retention as `serve` applies it by default: minute data kept 90 days, hourly data 3 years.
    let thinningStart = ContinuousClock.now
    let retained = try SQLiteStore(path: path)
    let periods = try retained.applyRetention(
        now: now, keepMinutes: 90 * day, keepHours: 3 * 365 * day, utcOffset: { _ in 0 })
    retained.close()
    let thinning = ContinuousClock.now - thinningStart
    let thinnedBytes = try usedBytes()
    let thinnedAnswers = try ask()
    print(
        String(
            format: "  after default retention (%d hours thinned in %.1f s; %.1f MB of pages in use):", periods,
            seconds(thinning), Double(thinnedBytes) / 1e6))
    showAll(thinnedAnswers)
    let same =
        thinnedAnswers.postDaily == minuteAnswers.postDaily && thinnedAnswers.blogDaily == minuteAnswers.blogDaily
        && thinnedAnswers.postDaily == rowAnswers.postDaily
    print("  daily series of the post and the blog identical before and after: \(same ? "yes" : "NO")")
}
if ProcessInfo.processInfo.environment["BENCH_KEEP_STORE"] == nil { try? FileManager.default.removeItem(atPath: path) }

// The year above is written straight into the tables in post order, which packs SQLite's pages
// tighter than ingestion does (it adds each snapshot's changes in time order). One UTC day of the
// same blog through the ingest path, as `serve` stores it, then sealed once the next day began.
if posts <= 10_000 {
    let dayPath = path + "-day"
    for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dayPath + suffix) }
    let dayStore = try SQLiteStore(path: dayPath, durableCommits: false)
    var views = (0..<posts).map { Int64(viewsPerMinute * weights[$0] / weightSum * 1440 * 200) }
    let midnight = (start / day + 1) * day
    let ingestStart = ContinuousClock.now
    for minute in 0...1440 {
        var rows: [SnapshotRow] = []
        rows.reserveCapacity(posts)
        for post in 0..<posts {
            let rate = viewsPerMinute * weights[post] / weightSum
            if Double(random.next() >> 11) / Double(1 << 53) < 1 - exp(-rate) {
                views[post] += max(1, rate > 1 ? Int64(rate + sqrt(rate) * random.gaussian()) : 0)
            }
            rows.append(
                SnapshotRow(
                    id: String(format: "p%09d", post), slug: "post-\(post)", title: "Post number \(post)",
                    views: views[post]))
        }
        _ = try dayStore.ingest([
            Snapshot(blog: "default", capturedAt: midnight + Int64(minute) * 60, explicitTime: true, rows: rows)
        ])
    }
    let ingestTime = seconds(ContinuousClock.now - ingestStart)
    func dayBytes() throws -> (Int64, Int64) {
        let checkpoint = try Database(path: dayPath)
        defer { checkpoint.close() }
        try checkpoint.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return (
            try checkpoint.integer(
                "SELECT (page_count - freelist_count) * page_size FROM pragma_page_count, pragma_freelist_count, pragma_page_size"
            ),
            try checkpoint.integer("SELECT count(*) FROM samples")
        )
    }
    let (rowBytes, daySamples) = try dayBytes()
    let sealStart = ContinuousClock.now
    let sealed = try dayStore.seal(delay: 0)
    let sealTime = seconds(ContinuousClock.now - sealStart)
    dayStore.close()
    let (sealedBytes, _) = try dayBytes()
    let logicalDay = Double(posts) * 1441
    let perSample = Double(sealedBytes) / logicalDay
    print(
        String(
            format:
                "  one UTC day through the ingest path (1,441 snapshots in %.1f s, %lld samples), %d day sealed in %.2f s: %.2f MB, %.3f bytes per logical sample   target < 0.113 (3× under 0.34)  %@",
            ingestTime, daySamples, sealed, sealTime, Double(sealedBytes) / 1e6, perSample,
            perSample < 0.34 / 3 ? "ok" : "MISSED"))
    print(
        String(
            format:
                "    (as rows before sealing: %.2f MB, %.3f; for a day of a 925-post blog like this: InfluxDB 1.6 0.36, a plain change-only SQLite table 0.34)",
            Double(rowBytes) / 1e6, Double(rowBytes) / logicalDay))
    // What a plain (post, time, views) table holds, against what only a young store pays for:
    // post ids, slugs and titles, and the one page each small table and index takes.
    let split = try Database(path: dayPath)
    if let counts = try? split.integer(
        "SELECT sum(pgsize) FROM dbstat WHERE name IN ('samples', 'sample_blocks', 'snapshots', 'snapshot_hashes')")
    {
        print(
            String(
                format:
                    "    (of which samples and snapshot records %.3f, %.1f× under the plain table; post ids, slugs, titles and one-page tables %.3f)",
                Double(counts) / logicalDay, 0.34 / (Double(counts) / logicalDay),
                Double(sealedBytes - counts) / logicalDay))
    }
    split.close()
    if ProcessInfo.processInfo.environment["BENCH_KEEP_STORE"] == nil {
        for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: dayPath + suffix) }
    }
}

/// The other blog's pusher while a late snapshot is stored.
final class OtherPushes: Sendable {
    let stop = Atomic<Bool>(false)
    let longest = Mutex<Double>(0)
    let done = DispatchSemaphore(value: 0)
}

/// A small deterministic generator, so every run writes the same history.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
    mutating func gaussian() -> Double {
        let u1 = max(Double(next() >> 11) / Double(1 << 53), 1e-12)
        let u2 = Double(next() >> 11) / Double(1 << 53)
        return sqrt(-2 * log(u1)) * cos(2 * .pi * u2)
    }
}
