/// A moment as a clock on the wall of the configured time zone shows it.
public struct LocalTime: Sendable, Equatable {
    public var year: Int
    public var month: Int
    public var day: Int
    public var hour: Int
    public var minute: Int
    public var second: Int
    /// 0 is Monday.
    public var weekday: Int
    /// Days since 1970-01-01 in the zone.
    public var localDay: Int64

    static let monthNames = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
    static let weekdayNames = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]

    var monthName: String { Self.monthNames[month - 1] }
    var weekdayName: String { Self.weekdayNames[weekday] }
    var isMidnight: Bool { hour == 0 && minute == 0 && second == 0 }

    /// `14:05`
    var clock: String { Self.two(hour) + ":" + Self.two(minute) }
    /// `3 Dec`
    var shortDate: String { "\(day) \(monthName)" }
    /// `3 Dec 2026`
    var date: String { "\(day) \(monthName) \(year)" }

    static func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
}
