public import BlogStatsCore

/// Turns points in time order into snapshots: the points of one POST to the old receiver share
/// one timestamp, and a snapshot is every point from its first one to just before one second
/// later. Its capture time is the first point's time rounded down to the second (the store
/// keeps seconds), so a POST whose points were spread over a second boundary still makes one
/// snapshot, and no two snapshots of a blog get the same second.
///
/// Points without an id or with a value that is not a view count are counted and left out; a
/// post seen twice in one snapshot (two POSTs within a second) keeps its later point.
public struct SnapshotGrouper {
    /// One group of points: the snapshots it makes (one per blog) and where it ends.
    public struct Group: Sendable {
        public var snapshots: [Snapshot]
        /// The first and last point's times, in nanoseconds.
        public var first: Int64
        public var last: Int64
        public var points: Int
    }

    /// Points left out so far, by reason.
    public struct Skips: Sendable, Equatable {
        public var noID = 0
        public var badValue = 0
        public var badBlog = 0
        /// Points replaced by a later point of the same post in the same snapshot.
        public var replaced = 0

        public var total: Int { noID + badValue + badBlog }
    }

    public static let window: Int64 = 1_000_000_000

    private let defaultBlog: String
    private var first: Int64 = 0
    private var last: Int64 = 0
    private var pointCount = 0
    private var rows: [String: [SnapshotRow]] = [:]
    private var index: [String: [String: Int]] = [:]
    private var blogOrder: [String] = []
    private var validBlogs: Set<String> = []
    public private(set) var skips = Skips()
    /// Up to ten examples of left-out points, for the report.
    public private(set) var examples: [String] = []

    public init(defaultBlog: String) {
        self.defaultBlog = defaultBlog
    }

    /// Adds the next point (times never go down); returns the group it closed, if any.
    public mutating func add(_ point: InfluxPoint) -> Group? {
        var closed: Group? = nil
        if pointCount > 0, point.time - first >= Self.window { closed = finish() }
        if pointCount == 0 { first = point.time }
        last = point.time
        pointCount += 1
        guard let id = point.id, !id.isEmpty else {
            skips.noID += 1
            note("no id tag", point)
            return closed
        }
        guard let views = point.value.viewCount else {
            skips.badValue += 1
            note("value \(point.value) is not a view count", point)
            return closed
        }
        let blog = point.blog.flatMap { $0.isEmpty ? nil : $0 } ?? defaultBlog
        if !validBlogs.contains(blog) {
            do throws(SnapshotFormatError) {
                try BlogName.validate(blog, field: "blog")
                validBlogs.insert(blog)
            } catch {
                skips.badBlog += 1
                note(error.message, point)
                return closed
            }
        }
        let row = SnapshotRow(id: id, slug: point.slug ?? "", title: point.title ?? "", views: views)
        if rows[blog] == nil {
            blogOrder.append(blog)
            rows[blog] = []
            index[blog] = [:]
        }
        if let at = index[blog]![id] {
            rows[blog]![at] = row
            skips.replaced += 1
        } else {
            index[blog]![id] = rows[blog]!.count
            rows[blog]!.append(row)
        }
        return closed
    }

    /// Closes the open group (at the end of the input).
    public mutating func finish() -> Group? {
        guard pointCount > 0 else { return nil }
        let seconds = first >= 0 ? first / Self.window : (first - Self.window + 1) / Self.window
        let snapshots = blogOrder.map { blog in
            Snapshot(blog: blog, capturedAt: seconds, explicitTime: true, rows: rows[blog]!)
        }
        let group = Group(snapshots: snapshots, first: first, last: last, points: pointCount)
        pointCount = 0
        rows = [:]
        index = [:]
        blogOrder = []
        return group
    }

    private mutating func note(_ reason: String, _ point: InfluxPoint) {
        guard examples.count < 10 else { return }
        let seconds = point.time >= 0 ? point.time / Self.window : (point.time - Self.window + 1) / Self.window
        examples.append(
            "\(Timestamp.format(seconds)) id=\(point.id.map { "\"\($0)\"" } ?? "none") slug=\"\(point.slug ?? "")\": \(reason)"
        )
    }
}
