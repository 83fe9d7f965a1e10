import BlogStatsCore
import Foundation
import Testing

@testable import BlogStatsStore

/// Retention is lossless at the coarser resolution: series at hour (and day) steps are the
/// same before and after thinning.
@Suite struct RetentionTests {
    static let paris: @Sendable (Int64) -> Int64 = { time in
        Int64(TimeZone(identifier: "Europe/Paris")!.secondsFromGMT(for: Date(timeIntervalSince1970: Double(time))))
    }

    /// Four days of snapshots every ten minutes, with absences, resets and renames.
    static func fill(_ fixture: StoreFixture, start: Int64) throws -> (end: Int64, last: [SnapshotRow]) {
        var generator = SplitMix(seed: 7)
        var views = [Int64](repeating: 10, count: 6)
        var time = start
        var rows: [SnapshotRow] = []
        for _ in 0..<(4 * 144) {
            rows = []
            for post in 0..<6 {
                let roll = generator.next() % 100
                if roll < 5 { continue }
                if roll < 60 { views[post] += Int64(generator.next() % 9) }
                if roll == 60 { views[post] /= 2 }
                let slug = roll == 61 ? "renamed-\(post)-\(time)" : "post-\(post)"
                rows.append(SnapshotRow(id: "p\(post)", slug: slug, title: "Post \(post)", views: views[post]))
            }
            try fixture.push(time, rows)
            time += 600
        }
        return (time, rows)
    }

    func series(_ store: SQLiteStore, _ grid: BucketGrid) throws -> [[SeriesBucket]] {
        var all = [try #require(try store.blogSeries(blog: "default", grid: grid))]
        for post in 0..<6 {
            all.append(try #require(try store.postSeries(blog: "default", id: "p\(post)", grid: grid)).buckets)
        }
        return all
    }

    @Test func thinningKeepsHourAndDaySeriesExact() throws {
        let fixture = try StoreFixture()
        // Start at a Paris midnight so days and hours line up with the data.
        let start = BucketGrid.midnight(ofLocalDay: 20_000, utcOffset: Self.paris)
        let (end, last) = try Self.fill(fixture, start: start)
        let days = BucketGrid(from: start, to: end, step: 86_400, utcOffset: Self.paris)
        let lastTwoDays = BucketGrid(from: start + 2 * 86_400, to: end, step: 3600, utcOffset: Self.paris)
        let daysBefore = try series(fixture.store, days)
        let hoursBefore = try series(fixture.store, lastTwoDays)
        let topBefore = try fixture.store.topPosts(
            blog: "default", from: start + 60 * 3600, to: start + 70 * 3600, limit: 10, filter: nil)
        let samplesBefore = try fixture.samples().count

        // The window before the top-posts window (50 h to 60 h) lies in the hour-thinned part too.
        // Minute data older than one day is thinned to hours; hour data older than two days to days.
        let now = end
        let thinned = try fixture.store.applyRetention(
            now: now, keepMinutes: 86_400, keepHours: 2 * 86_400, utcOffset: Self.paris)
        #expect(thinned > 0)

        #expect(try series(fixture.store, days) == daysBefore)
        #expect(try series(fixture.store, lastTwoDays) == hoursBefore)
        #expect(
            try fixture.store.topPosts(
                blog: "default", from: start + 60 * 3600, to: start + 70 * 3600, limit: 10, filter: nil) == topBefore)
        // It did thin: two days kept one snapshot each, the next two days one per hour, the last day all.
        let snapshots = try fixture.query("SELECT count(*) FROM snapshots")[0]
        #expect(snapshots == "\(2 + 24 + 144)")
        #expect(try fixture.samples().count < samplesBefore)
        // Running again finds nothing more to do, and ingestion carries on from the kept state.
        #expect(
            try fixture.store.applyRetention(
                now: now, keepMinutes: 86_400, keepHours: 2 * 86_400, utcOffset: Self.paris)
                == 0)
        let next = try fixture.push(end, [row("p0", 1_000_000, slug: "post-0", title: "Post 0")])
        let stillThere = last.filter { $0.id != "p0" }.count
        #expect(next.removed == stillThere && next.changed + next.returned == 1 && next.new == 0)
    }
}
