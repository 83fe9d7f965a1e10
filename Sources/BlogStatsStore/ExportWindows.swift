import BlogStatsSQLite

/// Cuts a blog's history into consecutive time windows of bounded work, for exports that
/// read samples in time order.
///
/// Samples are keyed (post, time) and there is no index on time alone, so rows in time order
/// come from one seek per post into each window followed by a sort of that window's rows.
/// A window holds enough snapshots that the per-post seeks are a small cost beside the rows
/// written (its weight, posts × snapshots, is at least `rowsPerPost` times the number of
/// posts), and no more: its samples are at most that weight plus one snapshot's absences, far
/// fewer in practice (most counts do not move each minute), and SQLite's sorter spills to a
/// temporary file past its cache, so even a worst-case window costs disk, not memory. What
/// stays in memory is the window's snapshot times.
final class ExportWindows {
    struct Window {
        /// Samples with start <= t < end belong to this window.
        var start: Int64
        var end: Int64
        /// The window's snapshot times, ascending; the last is end - 1 unless the history ended.
        var snapshots: [Int64]
    }

    /// The rows (posts × snapshots) a window aims for when a blog has few posts.
    static let rowBudget: Int64 = 1 << 18
    /// A window's rows per post: its seeks (one per post, for samples and for names) then cost
    /// about one for every 32 rows written.
    static let rowsPerPost: Int64 = 64

    private let snapshots: Statement
    private let budget: Int64
    private let postCount: Int64
    private var start: Int64
    private let end: Int64
    private var finished = false

    /// - Parameters:
    ///   - postCount: the posts the export covers (one when it is about one post).
    ///   - from, to: the export's window; nil is open.
    ///   - minimumRows: `rowBudget`, or less to test window boundaries on small histories.
    init(
        db: Database, blogKey: Int64, postCount: Int, from: Int64?, to: Int64?, minimumRows: Int64 = rowBudget
    ) throws(SQLiteError) {
        snapshots = try db.prepare(
            "SELECT t, rows FROM snapshots WHERE blog_key = ?1 AND t >= ?2 AND t < ?3 ORDER BY t")
        start = from ?? Int64.min
        end = to ?? Int64.max
        self.postCount = Int64(max(postCount, 1))
        budget = max(minimumRows, Self.rowsPerPost * self.postCount)
        snapshots.bind(.integer(blogKey), .integer(start), .integer(end))
    }

    /// The next window, or nil after the last. The last one reaches the export's end, so samples
    /// after the last snapshot (there should be none) are not lost.
    func next() throws(SQLiteError) -> Window? {
        guard !finished else { return nil }
        var times: [Int64] = []
        var weight: Int64 = 0
        var more = true
        while weight < budget {
            guard try snapshots.step() else {
                more = false
                break
            }
            times.append(snapshots.int64(0))
            // A snapshot of a blog with a thousand posts, exported for one post, costs one row.
            weight += max(1, min(snapshots.int64(1), postCount))
        }
        let windowEnd: Int64
        if more, let last = times.last {
            windowEnd = last + 1
        } else {
            windowEnd = end
            finished = true
            snapshots.reset()
        }
        defer { start = windowEnd }
        return Window(start: start, end: windowEnd, snapshots: times)
    }
}
