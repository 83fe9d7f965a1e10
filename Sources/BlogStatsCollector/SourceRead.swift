/// What one read of a source produced, and what it cost the source.
public struct SourceRead: Sendable {
    public var snapshots: [BlogSnapshot]
    /// Rows read (all blogs).
    public var posts: Int
    public var elapsedMilliseconds: Double
    /// The longest time one read transaction held the source database's lock (0 for files).
    public var longestLockMilliseconds: Double
    /// All read transactions together.
    public var totalLockMilliseconds: Double
    public var transactions: Int
    /// Where the rows came from, for messages (a path, `stdin`).
    public var origin: String

    public init(
        snapshots: [BlogSnapshot], posts: Int, elapsedMilliseconds: Double, longestLockMilliseconds: Double = 0,
        totalLockMilliseconds: Double = 0, transactions: Int = 0, origin: String
    ) {
        self.snapshots = snapshots
        self.posts = posts
        self.elapsedMilliseconds = elapsedMilliseconds
        self.longestLockMilliseconds = longestLockMilliseconds
        self.totalLockMilliseconds = totalLockMilliseconds
        self.transactions = transactions
        self.origin = origin
    }

    /// `read 100000 posts in 180 ms (lock held 4 ms; 50 transactions, 160 ms in all) from …: notes 66000, travel 34000`
    public var summary: String {
        var text = "read \(posts) posts in \(Self.milliseconds(elapsedMilliseconds)) ms"
        if transactions > 0 {
            text += " (lock held \(Self.milliseconds(longestLockMilliseconds)) ms"
            if transactions > 1 {
                text += "; \(transactions) transactions, \(Self.milliseconds(totalLockMilliseconds)) ms in all"
            }
            text += ")"
        }
        text += " from \(origin)"
        let blogs = snapshots.map { "\($0.blogLabel) \($0.rows)" }
        if !blogs.isEmpty { text += ": " + blogs.joined(separator: ", ") }
        return text
    }

    static func milliseconds(_ value: Double) -> String {
        let tenths = Int((value * 10).rounded())
        return "\(tenths / 10).\(tenths % 10)"
    }
}

/// Milliseconds between two instants of the monotonic clock.
func milliseconds(from start: ContinuousClock.Instant, to end: ContinuousClock.Instant = .now) -> Double {
    let duration = end - start
    return Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}
