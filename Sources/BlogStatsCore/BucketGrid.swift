/// The buckets of a series: [start, end) intervals covering a window, aligned to the step in
/// the blog's time zone (whole local days and weeks, Monday first, across DST changes).
public struct BucketGrid: Sendable, Equatable {
    public let step: Int64
    /// Bucket starts, ascending; bucket i ends where bucket i+1 starts, the last at `end`.
    public let starts: [Int64]
    public let end: Int64

    /// The steps a window chooses from when none is given.
    public static let steps: [Int64] = [60, 300, 900, 3600, 21_600, 86_400, 604_800]
    /// At most this many buckets for an automatic step: enough for a chart, few enough to draw.
    public static let targetBuckets: Int64 = 400

    /// The smallest standard step that keeps the window within `targetBuckets` buckets.
    public static func automaticStep(for window: Int64) -> Int64 {
        steps.first { window / $0 <= targetBuckets } ?? steps.last!
    }

    /// - Parameter utcOffset: seconds east of UTC in effect at a UTC instant (0 for UTC).
    public init(from: Int64, to: Int64, step: Int64, utcOffset: (Int64) -> Int64 = { _ in 0 }) {
        precondition(step > 0 && to > from)
        self.step = step
        var starts: [Int64] = []
        if step % 86_400 == 0 {
            // Calendar buckets: local midnights, so a blogger's "today" is local.
            let days = step / 86_400
            var day = Self.localDay(of: from, utcOffset: utcOffset)
            if days == 7 {
                // 1970-01-01 was a Thursday: day 0 is 3 days after a Monday.
                day -= (day + 3) % 7
            }
            var start = Self.midnight(ofLocalDay: day, utcOffset: utcOffset)
            while start < to {
                starts.append(start)
                day += days
                start = Self.midnight(ofLocalDay: day, utcOffset: utcOffset)
            }
            end = start
        } else {
            // Clock buckets: multiples of the step in local time at the window's start.
            let offset = utcOffset(from)
            var start = Self.floor(from + offset, step) - offset
            while start < to {
                starts.append(start)
                start += step
            }
            end = start
        }
        self.starts = starts
    }

    public var count: Int { starts.count }

    public func bucketEnd(_ index: Int) -> Int64 { index + 1 < starts.count ? starts[index + 1] : end }

    /// The bucket holding `time`, if any.
    public func index(of time: Int64) -> Int? {
        guard let first = starts.first, time >= first, time < end else { return nil }
        var low = 0
        var high = starts.count - 1
        while low < high {
            let middle = (low + high + 1) / 2
            if starts[middle] <= time { low = middle } else { high = middle - 1 }
        }
        return low
    }

    /// `value` rounded down to a multiple of `step` (also for negative values).
    public static func floor(_ value: Int64, _ step: Int64) -> Int64 {
        value >= 0 ? value / step * step : -((-value + step - 1) / step) * step
    }

    /// The local day (days since 1970-01-01 in the zone) of a UTC instant.
    public static func localDay(of time: Int64, utcOffset: (Int64) -> Int64) -> Int64 {
        floor(time + utcOffset(time), 86_400) / 86_400
    }

    /// The UTC instant of local midnight starting `day` (days since 1970-01-01, local).
    public static func midnight(ofLocalDay day: Int64, utcOffset: (Int64) -> Int64) -> Int64 {
        let local = day * 86_400
        // The offset at midnight may differ from the one a few hours away (DST): settle it twice.
        let guess = local - utcOffset(local)
        return local - utcOffset(guess)
    }
}
