import BlogStatsCore
import Testing

@testable import BlogStatsStore

/// The query side over hand-built histories, with exact expected buckets.
@Suite struct QueryTests {
    /// Snapshots every 10 minutes from 10:00, with a gap from 10:30 to 11:10.
    static func history(_ fixture: StoreFixture) throws {
        let base: Int64 = 1_800_000_000 - 1_800_000_000 % 3600  // a whole hour
        func at(_ minutes: Int64) -> Int64 { base + minutes * 60 }
        try fixture.push(at(0), [row("a", 100), row("b", 50)])  // baseline
        try fixture.push(at(10), [row("a", 110), row("b", 50)])
        try fixture.push(at(20), [row("a", 115), row("b", 53), row("c", 4)])  // c new
        // gap: nothing between 10:30 and 11:10
        try fixture.push(at(70), [row("a", 130), row("c", 9)])  // b removed
        try fixture.push(at(80), [row("a", 30), row("b", 60), row("c", 9)])  // a reset, b back
        try fixture.push(at(90), [row("a", 45), row("b", 61), row("c", 9)])
    }

    static let base: Int64 = 1_800_000_000 - 1_800_000_000 % 3600

    @Test func blogSeriesAtTwentyMinutes() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let grid = BucketGrid(from: Self.base, to: Self.base + 100 * 60, step: 1200)
        let buckets = try #require(try fixture.store.blogSeries(blog: "default", grid: grid))
        // Buckets: 10:00, 10:20, 10:40 (gap), 11:00, 11:20.
        #expect(buckets.map(\.views) == [10, 12, nil, 20, 23])
        #expect(buckets.map(\.cumulative) == [160, 172, nil, 139, 115])
        #expect(buckets.map(\.gapSeconds) == [nil, nil, nil, 1200, nil])
        #expect(try fixture.store.blogSeries(blog: "nope", grid: grid) == nil)
    }

    @Test func postSeriesWithGapResetAndAbsence() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        let grid = BucketGrid(from: Self.base, to: Self.base + 100 * 60, step: 1200)
        let a = try #require(try fixture.store.postSeries(blog: "default", id: "a", grid: grid))
        #expect(a.buckets.map(\.views) == [10, 5, nil, 15, 15])
        #expect(a.buckets.map(\.cumulative) == [110, 115, nil, 130, 45])
        #expect(a.buckets.map(\.reset) == [false, false, false, false, true])
        let b = try #require(try fixture.store.postSeries(blog: "default", id: "b", grid: grid))
        #expect(b.buckets.map(\.views) == [0, 3, nil, 0, 8])
        #expect(b.buckets.map(\.cumulative) == [50, 53, nil, nil, 61])
        #expect(b.removed == [PostSeries.Absence(from: Self.base + 70 * 60, to: Self.base + 80 * 60)])
        let c = try #require(try fixture.store.postSeries(blog: "default", id: "c", grid: grid))
        // A post appearing mid-window counts from zero.
        #expect(c.buckets.map(\.views) == [0, 4, nil, 5, 0])
        #expect(c.firstSeen == Self.base + 20 * 60)
        #expect(try fixture.store.postSeries(blog: "default", id: "zzz", grid: grid) == nil)
    }

    @Test func aFineStepScansTheWindowAndAgreesWithTheSeeks() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        // Ten-minute buckets: few snapshots per bucket, so the window is read in one scan.
        let grid = BucketGrid(from: Self.base, to: Self.base + 100 * 60, step: 600)
        let blog = try #require(try fixture.store.blogSeries(blog: "default", grid: grid))
        #expect(blog.map(\.views) == [0, 10, 12, nil, nil, nil, nil, 20, 7, 16])
        #expect(blog.map(\.gapSeconds) == [nil, nil, nil, nil, nil, nil, nil, 2400, nil, nil])
        let a = try #require(try fixture.store.postSeries(blog: "default", id: "a", grid: grid))
        #expect(a.buckets.map(\.views) == [0, 10, 5, nil, nil, nil, nil, 15, 0, 15])
        #expect(a.buckets.map(\.reset) == [false, false, false, false, false, false, false, false, true, false])
        let b = try #require(try fixture.store.postSeries(blog: "default", id: "b", grid: grid))
        #expect(b.buckets.map(\.cumulative) == [50, 50, 53, nil, nil, nil, nil, nil, 60, 61])
    }

    @Test func aWindowNotAlignedToTheStepStartsAtTheStepBoundary() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        // From 10:05: the first bucket is 10:00–10:20 and includes the 10:00 and 10:10 snapshots.
        let grid = BucketGrid(from: Self.base + 5 * 60, to: Self.base + 35 * 60, step: 1200)
        let buckets = try #require(try fixture.store.blogSeries(blog: "default", grid: grid))
        #expect(grid.starts == [Self.base, Self.base + 1200])
        #expect(buckets.map(\.views) == [10, 12])
    }

    @Test func topPostsWithThePreviousWindow() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        // The window 11:00–11:40 against 10:20–11:00.
        let top = try fixture.store.topPosts(
            blog: "default", from: Self.base + 60 * 60, to: Self.base + 100 * 60, limit: 10, filter: nil)
        #expect(top.map(\.id) == ["a", "b", "c"])
        #expect(top.map(\.views) == [30, 8, 5])
        #expect(top.map(\.previousViews) == [5, 3, 4])
        #expect(top.map(\.total) == [45, 61, 9])
        let limited = try fixture.store.topPosts(
            blog: "default", from: Self.base + 60 * 60, to: Self.base + 100 * 60, limit: 1, filter: "SLUG-B")
        #expect(limited.map(\.id) == ["b"])
        // At the end of an earlier window, b was removed.
        let earlier = try fixture.store.topPosts(
            blog: "default", from: Self.base + 60 * 60, to: Self.base + 75 * 60, limit: 10, filter: nil)
        #expect(earlier.first { $0.id == "b" }?.removed == true)
    }

    @Test func blogsAreListedWithTheirNewestSnapshot() throws {
        let fixture = try StoreFixture()
        try Self.history(fixture)
        try fixture.push(Self.base, [row("x", 1)], blog: "other")
        #expect(
            try fixture.store.blogs() == [
                BlogSummary(name: "default", posts: 3, totalViews: 115, lastSnapshot: Self.base + 90 * 60),
                BlogSummary(name: "other", posts: 1, totalViews: 1, lastSnapshot: Self.base),
            ])
    }
}
