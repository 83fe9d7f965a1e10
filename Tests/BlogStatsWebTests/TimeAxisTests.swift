import BlogStatsCore
import Testing

@testable import BlogStatsWeb

/// Ticks, the value scale and local time: what the axes print.
@Suite struct TimeAxisTests {
    static let paris = LocalClock(zone: "Europe/Paris") { time in
        // Central European Time with the 2026 summer time (29 Mar – 25 Oct, 01:00 UTC).
        (1_774_746_000..<1_792_890_000).contains(time) ? 7200 : 3600
    }

    @Test func ticksForTheUsualWindows() {
        let day = Fixtures.day  // Thu 3 Dec 2026, 00:00 UTC
        let clock = Fixtures.clock
        let hour = TimeTicks(from: day + 600, to: day + 4200, clock: clock).ticks.map(\.label)
        #expect(hour == ["00:10", "00:20", "00:30", "00:40", "00:50", "01:00"])
        let week = TimeTicks(from: day - 6 * 86_400 - 3600, to: day + 3600, clock: clock).ticks
        #expect(week.map(\.label) == ["27 Nov", "28 Nov", "29 Nov", "30 Nov", "1 Dec", "2 Dec", "3 Dec"])
        let month = TimeTicks(from: day - 30 * 86_400, to: day, clock: clock).ticks.map(\.label)
        #expect(month == ["9 Nov", "16 Nov", "23 Nov", "30 Nov"], "Mondays")
        let year = TimeTicks(from: day - 365 * 86_400, to: day, clock: clock).ticks
        #expect(year.map(\.label) == ["Jan", "Mar", "May", "Jul", "Sep", "Nov"].map { $0 == "Jan" ? "2026" : $0 })
        #expect(year.first?.major == true)
        let decade = TimeTicks(from: day - 9 * 365 * 86_400, to: day, clock: clock).ticks.map(\.label)
        #expect(decade == ["2018", "2020", "2022", "2024", "2026"], "every other January")
    }

    @Test func ticksFollowTheLocalClock() {
        // 24 hours in Paris in winter: ticks on local 00, 06, 12, 18 h (23, 05, 11, 17 UTC).
        let from = Fixtures.day - 3600
        let ticks = TimeTicks(from: from, to: from + 86_400, clock: Self.paris).ticks
        #expect(ticks.map(\.label) == ["Thu 3", "06:00", "12:00", "18:00"])
        #expect(ticks.first?.time == Fixtures.day - 3600)
    }

    @Test func valueScaleIsRoundAndStartsAtZero() {
        #expect(ValueScale(largest: 1210).ticks == [0, 500, 1000, 1500])
        #expect(ValueScale(largest: 0).ticks == [0, 1])
        #expect(ValueScale(largest: 3).ticks == [0, 1, 2, 3])
        #expect(ValueScale(largest: 99).ticks == [0, 50, 100])
        #expect(ValueScale(largest: 100).ticks == [0, 50, 100])
        #expect(ValueScale(largest: 2_345_678).maximum == 3_000_000)
        #expect(ValueScale(largest: 7).fraction(7) == 7.0 / 8.0)
    }

    @Test func localClockReadsAndWritesTheZone() {
        let summer: Int64 = 1_782_950_400  // 2026-07-02T00:00:00Z
        #expect(Self.paris.dateTime(summer) == "Thu 2 Jul 2026, 02:00")
        #expect(Self.paris.dateTime(Fixtures.day) == "Thu 3 Dec 2026, 01:00")
        #expect(Self.paris.inputValue(Fixtures.day) == "2026-12-03T01:00")
        #expect(Self.paris.parseInput("2026-12-03T01:00") == Fixtures.day)
        #expect(Self.paris.parseInput("2026-07-02T02:00:00") == summer)
        #expect(Self.paris.parseInput("2026-12-03") == Fixtures.day - 3600)
        #expect(Self.paris.parseInput("3 Dec") == nil)
        #expect(Self.paris.local(Fixtures.day).weekday == 3, "Thursday, Monday being 0")
        let clock = Fixtures.clock
        #expect(clock.interval(Fixtures.day, Fixtures.day + 3600, step: 3600) == "Thu 3 Dec, 00:00–01:00")
        #expect(clock.interval(Fixtures.day - 3600, Fixtures.day, step: 3600) == "Wed 2 Dec, 23:00–00:00")
        #expect(clock.interval(Fixtures.day, Fixtures.day + 86_400, step: 86_400) == "Thu 3 Dec 2026")
        #expect(LocalClock.ago(30) == "30 s ago")
        #expect(LocalClock.ago(600) == "10 min ago")
        #expect(LocalClock.ago(3 * 86_400) == "3 days ago")
    }

    @Test func stepsInWordsAndInURLs() {
        #expect(StepText.parameter(60) == "1m")
        #expect(StepText.parameter(21_600) == "6h")
        #expect(StepText.parameter(604_800) == "1w")
        #expect(StepText.label(900) == "15 minutes")
        #expect(StepText.per(3600) == "per hour")
        #expect(StepText.per(21_600) == "per 6 hours")
        for step in BucketGrid.steps { #expect(Timestamp.parseDuration(StepText.parameter(step)) == step) }
    }
}
