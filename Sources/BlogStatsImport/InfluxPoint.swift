/// One row of `blog_stats` as InfluxDB returns it: the tags the old receiver wrote and the value.
public struct InfluxPoint: Sendable, Equatable {
    /// Nanoseconds since the epoch.
    public var time: Int64
    public var id: String?
    public var slug: String?
    public var title: String?
    /// The `blog` tag a newer writer may add; nil for the old receiver's points.
    public var blog: String?
    public var value: InfluxValue

    public init(
        time: Int64, id: String?, slug: String? = nil, title: String? = nil, blog: String? = nil, value: InfluxValue
    ) {
        self.time = time
        self.id = id
        self.slug = slug
        self.title = title
        self.blog = blog
        self.value = value
    }
}

/// A field value: integer for the old schema, anything else when someone wrote otherwise.
public enum InfluxValue: Sendable, Equatable {
    case integer(Int64)
    case number(Double)
    case text(String)
    case missing

    /// The value as a view count, if it is one: a non-negative whole number.
    public var viewCount: Int64? {
        switch self {
        case .integer(let value): return value >= 0 ? value : nil
        case .number(let value):
            guard value >= 0, value < 9.0e18, value == value.rounded() else { return nil }
            return Int64(value)
        case .text, .missing: return nil
        }
    }
}
