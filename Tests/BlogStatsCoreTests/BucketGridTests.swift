import Foundation
import Testing

@testable import BlogStatsCore

@Suite("BucketGrid")
struct BucketGridTests {
    static func offset(_ zone: String) -> (Int64) -> Int64 {
        let timeZone = TimeZone(identifier: zone)!
        return { Int64(timeZone.secondsFromGMT(for: Date(timeIntervalSince1970: Double($0)))) }
    }

    @Test func clockBucketsAlignToTheStepNotToTheWindow() {
        // 10:07:30 to 11:02 at 15 minutes: buckets start at 10:00, 10:15, … 10:45, 11:00.
        let from = Timestamp.parse("2026-12-03T10:07:30Z")!
        let to = Timestamp.parse("2026-12-03T11:02:00Z")!
        let grid = BucketGrid(from: from, to: to, step: 900)
        #expect(
            grid.starts.map(Timestamp.format) == [
                "2026-12-03T10:00:00Z", "2026-12-03T10:15:00Z", "2026-12-03T10:30:00Z", "2026-12-03T10:45:00Z",
                "2026-12-03T11:00:00Z",
            ])
        #expect(grid.end == Timestamp.parse("2026-12-03T11:15:00Z")!)
        #expect(grid.index(of: Timestamp.parse("2026-12-03T10:29:59Z")!) == 1)
        #expect(grid.index(of: Timestamp.parse("2026-12-03T09:59:59Z")!) == nil)
        #expect(grid.index(of: grid.end) == nil)
    }

    @Test func daysFollowLocalMidnightsAcrossDaylightSavingTime() {
        // Paris moves to summer time on 2026-03-29: that local day lasts 23 hours.
        let paris = Self.offset("Europe/Paris")
        let from = Timestamp.parse("2026-03-28T12:00:00Z")!
        let to = Timestamp.parse("2026-03-30T12:00:00Z")!
        let grid = BucketGrid(from: from, to: to, step: 86_400, utcOffset: paris)
        #expect(
            grid.starts.map(Timestamp.format) == [
                "2026-03-27T23:00:00Z", "2026-03-28T23:00:00Z", "2026-03-29T22:00:00Z",
            ])
        #expect(grid.bucketEnd(1) - grid.starts[1] == 23 * 3600)
        // And back on 2026-10-25: 25 hours.
        let autumn = BucketGrid(
            from: Timestamp.parse("2026-10-24T12:00:00Z")!, to: Timestamp.parse("2026-10-26T12:00:00Z")!,
            step: 86_400, utcOffset: paris)
        #expect(
            autumn.starts.map(Timestamp.format) == [
                "2026-10-23T22:00:00Z", "2026-10-24T22:00:00Z", "2026-10-25T23:00:00Z",
            ])
        #expect(autumn.bucketEnd(1) - autumn.starts[1] == 25 * 3600)
    }

    @Test func weeksStartOnLocalMonday() {
        let grid = BucketGrid(
            from: Timestamp.parse("2026-12-03T10:00:00Z")!, to: Timestamp.parse("2026-12-15T00:00:00Z")!,
            step: 604_800, utcOffset: Self.offset("Europe/Paris"))
        // 2026-11-30 and 2026-12-07 and 2026-12-14 are Mondays; local midnight is 23:00 UTC the day before.
        #expect(
            grid.starts.map(Timestamp.format) == [
                "2026-11-29T23:00:00Z", "2026-12-06T23:00:00Z", "2026-12-13T23:00:00Z",
            ])
    }

    static let automaticSteps: [(Int64, Int64)] = [
        (3600, 60), (86_400, 300), (604_800, 3600), (2_592_000, 21_600), (7_776_000, 21_600),
        (31_536_000, 86_400), (94_608_000, 604_800),
    ]

    @Test(arguments: automaticSteps)
    func automaticStepsAimForAFewHundredBuckets(window: Int64, step: Int64) {
        #expect(BucketGrid.automaticStep(for: window) == step)
    }
}

@Suite("Series")
struct SeriesTests {
    let grid = BucketGrid(from: 0, to: 6 * 3600, step: 3600)

    @Test func viewsAreDifferencesOfRunningTotals() {
        let points: [SeriesPoint?] = [
            SeriesPoint(cumulative: 100, gainedTotal: 0), SeriesPoint(cumulative: 110, gainedTotal: 10),
            SeriesPoint(cumulative: 110, gainedTotal: 10), SeriesPoint(cumulative: 125, gainedTotal: 25),
            SeriesPoint(cumulative: 130, gainedTotal: 30), SeriesPoint(cumulative: 131, gainedTotal: 31),
        ]
        let buckets = Series.buckets(grid: grid, before: nil, points: points)
        #expect(buckets.map(\.views) == [0, 10, 0, 15, 5, 1])
        #expect(buckets.map(\.cumulative) == [100, 110, 110, 125, 130, 131])
        #expect(buckets.allSatisfy { $0.gapSeconds == nil && !$0.reset })
    }

    @Test func aGapIsNullAndTheBucketAfterItCarriesTheGap() {
        let points: [SeriesPoint?] = [
            SeriesPoint(cumulative: 100, gainedTotal: 5), nil, nil,
            SeriesPoint(cumulative: 160, gainedTotal: 65), nil, SeriesPoint(cumulative: 170, gainedTotal: 75),
        ]
        let buckets = Series.buckets(grid: grid, before: SeriesPoint(cumulative: 98, gainedTotal: 3), points: points)
        #expect(buckets.map(\.views) == [2, nil, nil, 60, nil, 10])
        #expect(buckets.map(\.cumulative) == [100, nil, nil, 160, nil, 170])
        #expect(buckets.map(\.gapSeconds) == [nil, nil, nil, 7200, nil, 3600])
    }

    @Test func aLeadingStretchWithoutDataIsNotAGap() {
        let points: [SeriesPoint?] = [nil, nil, SeriesPoint(cumulative: 4, gainedTotal: 4), nil, nil, nil]
        let buckets = Series.buckets(grid: grid, before: nil, points: points)
        #expect(buckets[2].views == 4 && buckets[2].gapSeconds == nil)
    }

    @Test func aResetIsReportedAndGainsStayPositive() {
        // 100 → restored to 40 → 52: the bucket gained 12 views, its count fell by 48.
        let points: [SeriesPoint?] = [
            SeriesPoint(cumulative: 100, gainedTotal: 20), SeriesPoint(cumulative: 52, gainedTotal: 32), nil, nil, nil,
            nil,
        ]
        let buckets = Series.buckets(grid: grid, before: SeriesPoint(cumulative: 100, gainedTotal: 20), points: points)
        #expect(buckets[0].views == 0 && !buckets[0].reset)
        #expect(buckets[1].views == 12 && buckets[1].reset)
        let blog = Series.buckets(
            grid: grid, before: SeriesPoint(cumulative: 100, gainedTotal: 20), points: points, detectResets: false)
        #expect(!blog[1].reset)
    }

    @Test func aRemovedPostHasNoCountAndGainsNothing() {
        let points: [SeriesPoint?] = [
            SeriesPoint(cumulative: 10, gainedTotal: 10), SeriesPoint(cumulative: nil, gainedTotal: 10),
            SeriesPoint(cumulative: 12, gainedTotal: 12), nil, nil, nil,
        ]
        let buckets = Series.buckets(grid: grid, before: nil, points: points)
        #expect(buckets.map(\.views) == [10, 0, 2, nil, nil, nil])
        #expect(buckets[1].cumulative == nil && buckets[1].gapSeconds == nil)
    }
}
