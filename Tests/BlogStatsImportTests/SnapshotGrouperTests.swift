import BlogStatsCore
import Testing

@testable import BlogStatsImport

private let second: Int64 = 1_000_000_000

private func point(_ time: Int64, _ id: String?, _ value: Int64, blog: String? = nil, title: String = "t")
    -> InfluxPoint
{
    InfluxPoint(time: time, id: id, slug: id.map { "slug-\($0)" }, title: title, blog: blog, value: .integer(value))
}

/// Every group the points make.
private func groups(_ points: [InfluxPoint], blog: String = "default") -> ([SnapshotGrouper.Group], SnapshotGrouper) {
    var grouper = SnapshotGrouper(defaultBlog: blog)
    var groups: [SnapshotGrouper.Group] = []
    for point in points {
        if let group = grouper.add(point) { groups.append(group) }
    }
    if let group = grouper.finish() { groups.append(group) }
    return (groups, grouper)
}

@Suite("SnapshotGrouper: points into snapshots")
struct SnapshotGrouperTests {
    @Test func pointsOfOnePostShareASnapshotCapturedAtTheirSecond() {
        let t = 1_700_000_000 * second + 123_456_000
        let (found, _) = groups([
            point(t, "a", 1), point(t, "b", 2), point(t + 60 * second, "a", 3), point(t + 60 * second, "b", 2),
        ])
        #expect(found.count == 2)
        #expect(found[0].snapshots.count == 1)
        #expect(found[0].snapshots[0].capturedAt == 1_700_000_000)
        #expect(found[0].snapshots[0].explicitTime)
        #expect(found[0].snapshots[0].rows.map(\.id) == ["a", "b"])
        #expect(found[0].first == t)
        #expect(found[0].last == t)
        #expect(found[1].snapshots[0].capturedAt == 1_700_000_060)
        #expect(found[1].points == 2)
    }

    @Test func pointsStraddlingASecondBoundaryStayTogether() {
        let t = 1_700_000_000 * second + 999_000_000
        let (found, _) = groups([point(t, "a", 1), point(t + 2_000_000, "b", 2), point(t + second, "a", 2)])
        #expect(found.count == 2)
        #expect(found[0].snapshots[0].capturedAt == 1_700_000_000)
        #expect(found[0].snapshots[0].rows.count == 2)
        #expect(found[1].snapshots[0].capturedAt == 1_700_000_001)
    }

    @Test func twoPostsWithinASecondKeepTheLaterPoint() {
        let t = 50 * second
        let (found, grouper) = groups([point(t, "a", 1), point(t + 400_000_000, "a", 5)])
        #expect(found.count == 1)
        #expect(found[0].snapshots[0].rows.map(\.views) == [5])
        #expect(grouper.skips.replaced == 1)
    }

    @Test func pointsWithoutIdOrWithBadValuesAreSkippedAndCounted() {
        var bad = point(10 * second, "c", 0)
        bad.value = .number(1.5)
        var empty = point(10 * second, "", 1)
        empty.id = ""
        let (found, grouper) = groups([
            point(10 * second, nil, 3), empty, bad, point(10 * second, "b", -1), point(10 * second, "a", 1),
            point(10 * second, "x", 1, blog: "bad blog"),
        ])
        #expect(found[0].snapshots[0].rows.map(\.id) == ["a"])
        #expect(grouper.skips == SnapshotGrouper.Skips(noID: 2, badValue: 2, badBlog: 1, replaced: 0))
        #expect(grouper.examples.count == 5)
        #expect(grouper.examples[0].contains("no id"))
    }

    @Test func aGroupWithOnlySkippedPointsMakesNoSnapshot() {
        let (found, _) = groups([point(10 * second, nil, 3), point(20 * second, "a", 1)])
        #expect(found.count == 2)
        #expect(found[0].snapshots.isEmpty)
        #expect(found[0].points == 1)
    }

    @Test func theBlogTagSplitsASnapshotAndDefaultsToTheGivenBlog() {
        let (found, _) = groups(
            [
                point(10 * second, "a", 1, blog: "two"), point(10 * second, "a", 2),
                point(10 * second, "b", 3, blog: ""),
            ],
            blog: "main")
        #expect(found[0].snapshots.map(\.blog) == ["two", "main"])
        #expect(found[0].snapshots[1].rows.map(\.id) == ["a", "b"])
    }
}
