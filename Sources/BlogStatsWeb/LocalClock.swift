import BlogStatsCore

/// Reads and writes times in the receiver's time zone (`--timezone`); inside, time stays UTC.
public struct LocalClock: Sendable {
    /// The IANA name shown to the reader, e.g. `Europe/Paris`.
    public var zone: String
    /// Seconds east of UTC in effect at a UTC instant.
    public var utcOffset: @Sendable (Int64) -> Int64

    public init(zone: String = "UTC", utcOffset: @escaping @Sendable (Int64) -> Int64 = { _ in 0 }) {
        self.zone = zone
        self.utcOffset = utcOffset
    }

    /// The wall-clock reading of a UTC instant.
    public func local(_ time: Int64) -> LocalTime {
        let wall = time + utcOffset(time)
        // Timestamp.format is the one calendar implementation: read the fields back from it.
        let text = Array(Timestamp.format(wall).utf8)
        let tail = text.count - 15  // "MM-DDTHH:MM:SSZ" after "YYYY-"
        func number(_ from: Int, _ to: Int) -> Int {
            var value = 0
            for byte in text[from..<to] { value = value * 10 + Int(byte) - 48 }
            return value
        }
        let day = BucketGrid.floor(wall, 86_400) / 86_400
        return LocalTime(
            year: number(0, tail - 1), month: number(tail, tail + 2), day: number(tail + 3, tail + 5),
            hour: number(tail + 6, tail + 8), minute: number(tail + 9, tail + 11),
            second: number(tail + 12, tail + 14), weekday: Int(((day + 3) % 7 + 7) % 7), localDay: day)
    }

    /// `Thu 3 Dec 2026, 14:05`
    public func dateTime(_ time: Int64) -> String {
        let local = local(time)
        return "\(local.weekdayName) \(local.date), \(local.clock)"
    }

    /// `3 Dec 2026`
    public func date(_ time: Int64) -> String { local(time).date }

    /// `2026-12-03T14:05`: the value of an `<input type="datetime-local">`.
    public func inputValue(_ time: Int64) -> String {
        let local = local(time)
        var year = String(local.year)
        while year.count < 4 { year = "0" + year }
        return "\(year)-\(LocalTime.two(local.month))-\(LocalTime.two(local.day))T\(local.clock)"
    }

    /// The interval [start, end) in words, as precise as its step: `Thu 3 Dec, 14:00–15:00`,
    /// `Thu 3 Dec 2026`, `week of 30 Nov 2026`.
    public func interval(_ start: Int64, _ end: Int64, step: Int64) -> String {
        let from = local(start)
        if step < 86_400 {
            let to = local(end)
            let sameDay = to.localDay == from.localDay || (to.isMidnight && to.localDay == from.localDay + 1)
            let head = "\(from.weekdayName) \(from.shortDate), \(from.clock)–"
            return head + (sameDay ? to.clock : "\(to.weekdayName) \(to.shortDate), \(to.clock)")
        }
        if step == 86_400 { return "\(from.weekdayName) \(from.date)" }
        if step == 604_800 { return "week of \(from.date)" }
        return "\(from.date) – \(local(end - 1).date)"
    }

    /// `just now`, `45 s ago`, `12 min ago`, `3 h ago`, `2 days ago`.
    public static func ago(_ seconds: Int64) -> String {
        switch seconds {
        case ..<5: return "just now"
        case ..<60: return "\(seconds) s ago"
        case ..<3600: return "\(seconds / 60) min ago"
        case ..<(2 * 86_400): return "\(seconds / 3600) h ago"
        default: return "\(seconds / 86_400) days ago"
        }
    }

    /// A local date and time as a form sends it (`2026-12-03T14:05`, with seconds, or a
    /// bare date `2026-12-03` meaning its midnight) as a UTC instant; nil when malformed.
    public func parseInput(_ text: String) -> Int64? {
        var wallText = text
        if wallText.utf8.count == 10 { wallText += "T00:00" }
        if wallText.utf8.count == 16 { wallText += ":00" }
        guard wallText.utf8.count == 19, let wall = Timestamp.parse(wallText + "Z") else { return nil }
        // The offset at the wall time may differ from the one a few hours away (DST): settle twice.
        return wall - utcOffset(wall - utcOffset(wall))
    }
}
