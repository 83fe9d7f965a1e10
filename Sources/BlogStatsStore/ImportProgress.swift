/// How far an import has got: every point of `source` up to `through` is stored.
public struct ImportProgress: Sendable, Equatable {
    /// What was imported, e.g. `influx http://127.0.0.1:8086 db=blog measurement=blog_stats`.
    public var source: String
    /// A position in the source's own terms (for InfluxDB: a time in nanoseconds).
    public var through: Int64

    public init(source: String, through: Int64) {
        self.source = source
        self.through = through
    }
}
