import BlogStatsCore
import Testing

@testable import BlogStatsStore

@Suite struct SQLiteStoreTests {
    @Test func unchangedPostsCostNoSampleRows() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 10), row("b", 5)])
        let before = try fixture.samples()
        let summary = try fixture.push(1060, [row("a", 10), row("b", 5)])
        #expect(summary.changed == 0 && summary.new == 0 && summary.removed == 0)
        #expect(try fixture.samples() == before)
        #expect(try fixture.snapshots() == ["default|1000|2|15|0", "default|1060|2|15|0"])
    }

    @Test func onlyChangedPostsGetSamples() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 10), row("b", 5), row("c", 1)])
        let summary = try fixture.push(1060, [row("a", 12), row("b", 5), row("c", 1)])
        #expect(summary.changed == 1)
        #expect(try fixture.samples() == ["a|1000|10", "a|1060|12", "b|1000|5", "c|1000|1"])
        // The first snapshot is a baseline: only the 2 views gained since count.
        #expect(try fixture.snapshots() == ["default|1000|3|16|0", "default|1060|3|18|2"])
    }

    @Test func newPostsCountFromZeroAfterTheFirstSnapshot() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 10)])
        let summary = try fixture.push(1060, [row("a", 10), row("b", 7)])
        #expect(summary.new == 1)
        #expect(try fixture.snapshots().last == "default|1060|2|17|7")
        #expect(try fixture.query("SELECT id, first_seen FROM posts ORDER BY id") == ["a|1000", "b|1060"])
    }

    @Test func removedPostsAreMarkedAndMayReturn() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 10), row("b", 5)])
        let removal = try fixture.push(1060, [row("a", 11)])
        #expect(removal.removed == 1 && removal.changed == 1)
        let stillGone = try fixture.push(1120, [row("a", 11)])
        #expect(stillGone.removed == 0)
        let back = try fixture.push(1180, [row("a", 11), row("b", 8)])
        #expect(back.returned == 1 && back.new == 0)
        #expect(try fixture.samples() == ["a|1000|10", "a|1060|11", "b|1000|5", "b|1060|∅", "b|1180|8"])
        // The deleted post never makes the blog's gain negative; on return it gains from its last count.
        #expect(
            try fixture.snapshots() == [
                "default|1000|2|15|0", "default|1060|1|11|1", "default|1120|1|11|0", "default|1180|2|19|3",
            ])
    }

    @Test func aDecreaseIsAResetAndGainsNothing() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 100), row("b", 5)])
        let summary = try fixture.push(1060, [row("a", 40), row("b", 6)])
        #expect(summary.resets == 1 && summary.changed == 2)
        #expect(try fixture.snapshots().last == "default|1060|2|46|1")
        #expect(try fixture.samples().contains("a|1060|40"))
    }

    @Test func slugAndTitleHistoryIsKept() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1, slug: "old", title: "Old")])
        try fixture.push(1060, [row("a", 1, slug: "new", title: "Old")])
        try fixture.push(1120, [row("a", 1, slug: "new", title: "Old")])
        try fixture.push(1180, [row("a", 2, slug: "new", title: "New, \"quoted\"\nline")])
        #expect(try fixture.names() == ["a|1000|old|Old", "a|1060|new|Old", "a|1180|new|New, \"quoted\"\nline"])
        #expect(try fixture.samples() == ["a|1000|1", "a|1180|2"])
    }

    @Test func theSameSnapshotAtTheSameExplicitTimeIsADuplicate() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1), row("b", 2)])
        let before = (try fixture.samples(), try fixture.snapshots())
        // Row order does not matter.
        let again = try fixture.push(1000, [row("b", 2), row("a", 1)])
        #expect(again.duplicate)
        #expect(try fixture.samples() == before.0 && fixture.snapshots() == before.1)
    }

    @Test func otherContentAtTheSameExplicitTimeIsAConflict() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1)])
        #expect(throws: StoreError.conflict(blog: "default", capturedAt: 1000)) {
            try fixture.push(1000, [row("a", 2)])
        }
        #expect(try fixture.samples() == ["a|1000|1"])
    }

    @Test func theLaterOfTwoPushesInOneSecondWins() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1), row("b", 1)])
        try fixture.push(1060, [row("a", 3), row("b", 1)], explicit: false)
        let summary = try fixture.push(1060, [row("a", 4), row("c", 9)], explicit: false)
        #expect(!summary.duplicate && summary.removed == 1 && summary.new == 1)
        #expect(try fixture.samples() == ["a|1000|1", "a|1060|4", "b|1000|1", "b|1060|∅", "c|1060|9"])
        #expect(try fixture.snapshots() == ["default|1000|2|2|0", "default|1060|2|13|12"])
        // And the in-memory state follows: the next push compares with the winner.
        let next = try fixture.push(1120, [row("a", 4), row("c", 9)])
        #expect(next.changed == 0 && next.removed == 0 && next.new == 0)
    }

    @Test func aRejectedRequestChangesNothing() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1)], blog: "one")
        let before = (try fixture.samples(), try fixture.snapshots(), try fixture.query("SELECT name FROM blogs"))
        // The second snapshot of the request conflicts, so the first (a new blog) must not stay.
        #expect(throws: StoreError.self) {
            try fixture.store.ingest([
                Snapshot(blog: "two", capturedAt: 1000, explicitTime: true, rows: [row("x", 5)]),
                Snapshot(blog: "one", capturedAt: 1000, explicitTime: true, rows: [row("a", 2)]),
            ])
        }
        #expect(try fixture.samples() == before.0 && fixture.snapshots() == before.1)
        #expect(try fixture.query("SELECT name FROM blogs") == before.2)
        // The memory of the store was not touched either: blog "two" starts from scratch.
        let two = try fixture.push(1060, [row("x", 5)], blog: "two")
        #expect(two.new == 1)
        #expect(try fixture.snapshots().contains("two|1060|1|5|0"))
    }

    @Test func reopeningContinuesFromTheStoredState() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1), row("b", 2, slug: "s")])
        try fixture.push(1060, [row("a", 3)])
        try fixture.reopen()
        let summary = try fixture.push(1120, [row("a", 3), row("b", 2, slug: "s")])
        #expect(summary.changed == 0 && summary.returned == 1 && summary.new == 0)
        #expect(try fixture.names().count == 2)
        #expect(try fixture.snapshots().last == "default|1120|2|5|0")
    }

    @Test func blogsAreSeparate() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 1)], blog: "notes")
        try fixture.push(1000, [row("a", 50)], blog: "travel")
        try fixture.push(1060, [row("a", 2)], blog: "notes")
        #expect(try fixture.snapshots() == ["notes|1000|1|1|0", "notes|1060|1|2|1", "travel|1000|1|50|0"])
        #expect(
            fixture.store.health().lastSnapshots.map { "\($0.blog)@\($0.capturedAt)" } == ["notes@1060", "travel@1000"])
    }

    @Test func healthReportsAWritableStore() throws {
        let fixture = try StoreFixture()
        let health = fixture.store.health()
        #expect(health.writable && health.problem == nil && health.lastSnapshots.isEmpty)
        fixture.store.close()
        #expect(!fixture.store.health().writable)
    }

    @Test func runningTotalsAddUpEachPostsGains() throws {
        let fixture = try StoreFixture()
        try fixture.push(1000, [row("a", 10), row("b", 5)])  // baseline: no gains
        try fixture.push(1060, [row("a", 14), row("b", 5), row("c", 3)])  // a +4, c new +3
        try fixture.push(1120, [row("a", 2), row("c", 3)])  // a reset (+0), b removed
        try fixture.push(1180, [row("a", 7), row("b", 9), row("c", 4)])  // a +5, b back +4, c +1
        #expect(
            try fixture.totals() == [
                "a|1000|10|0", "a|1060|14|4", "a|1120|2|4", "a|1180|7|9",
                "b|1000|5|0", "b|1120|∅|0", "b|1180|9|4",
                "c|1060|3|3", "c|1180|4|4",
            ])
        #expect(
            try fixture.snapshotTotals() == [
                "default|1000|0|0", "default|1060|7|7", "default|1120|0|7", "default|1180|10|17",
            ])
        // The same after a restart, when the newest state is loaded from the file.
        try fixture.reopen()
        try fixture.push(1240, [row("a", 8), row("b", 9), row("c", 4)])
        #expect(try fixture.totals().last(where: { $0.hasPrefix("a|") }) == "a|1240|8|10")
        #expect(try fixture.snapshotTotals().last == "default|1240|1|18")
    }
}
