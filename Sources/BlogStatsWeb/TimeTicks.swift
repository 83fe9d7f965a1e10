import BlogStatsCore

/// Round times to label a time axis: minutes and hours on the local clock, local midnights,
/// Mondays, first days of months and years.
public struct TimeTicks: Sendable {
    /// One labelled tick; `major` marks a day, month or year boundary worth stressing.
    public struct Tick: Sendable, Equatable {
        public var time: Int64
        public var label: String
        public var major: Bool
    }

    public let ticks: [Tick]

    /// Seconds per tick for the clock and calendar-day rules (months are handled apart).
    static let clockSteps: [Int64] = [
        60, 120, 300, 600, 900, 1800, 3600, 7200, 10_800, 21_600, 43_200, 86_400, 2 * 86_400, 604_800,
    ]
    static let monthSteps = [1, 2, 3, 6, 12, 24, 60, 120]

    /// At most `maximum` ticks within [from, to).
    public init(from: Int64, to: Int64, clock: LocalClock, maximum: Int = 8) {
        let span = max(to - from, 1)
        if let step = Self.clockSteps.first(where: { span / $0 < Int64(maximum) }) {
            ticks = Self.clockTicks(from: from, to: to, step: step, clock: clock)
        } else {
            let months = Self.monthSteps.first { span / (Int64($0) * 2_629_746) < Int64(maximum) } ?? 120
            ticks = Self.monthTicks(from: from, to: to, months: months, clock: clock)
        }
    }

    private static func clockTicks(from: Int64, to: Int64, step: Int64, clock: LocalClock) -> [Tick] {
        // The bucket grid knows local midnights, Mondays and clock multiples: reuse it.
        let grid = BucketGrid(from: from, to: to, step: step, utcOffset: clock.utcOffset)
        return grid.starts.filter { $0 >= from }.map { time in
            let local = clock.local(time)
            if step >= 86_400 {
                let newYear = local.month == 1 && local.day == 1
                return Tick(time: time, label: newYear ? String(local.year) : local.shortDate, major: newYear)
            }
            if local.isMidnight { return Tick(time: time, label: "\(local.weekdayName) \(local.day)", major: true) }
            return Tick(time: time, label: local.clock, major: false)
        }
    }

    private static func monthTicks(from: Int64, to: Int64, months: Int, clock: LocalClock) -> [Tick] {
        let first = clock.local(from)
        var index = first.year * 12 + first.month - 1
        index -= index % months
        var ticks: [Tick] = []
        while true {
            let year = index / 12
            let month = index % 12 + 1
            let monthText = month < 10 ? "0\(month)" : "\(month)"
            guard let wall = Timestamp.parse("\(year)-\(monthText)-01T00:00:00Z") else { break }
            let time = BucketGrid.midnight(ofLocalDay: wall / 86_400, utcOffset: clock.utcOffset)
            if time >= to { break }
            if time >= from {
                let label = month == 1 ? String(year) : LocalTime.monthNames[month - 1]
                ticks.append(Tick(time: time, label: label, major: month == 1))
            }
            index += months
        }
        return ticks
    }
}
