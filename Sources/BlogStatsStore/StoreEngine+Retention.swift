import BlogStatsCore
import BlogStatsSQLite

/// Retention: old minute data is thinned to the last snapshot (and each post's last sample
/// and name) of every hour, older data to the last of every day. Running totals and counts at
/// the kept snapshots are untouched, so series at hour (or day) steps are the same afterwards.
extension StoreEngine {
    enum Resolution {
        case hour, day

        var column: String { self == .hour ? "hours_until" : "days_until" }
    }

    /// Thins one period (an hour or a day) of one blog that is older than `cutoff`; returns
    /// false when there is nothing left to do at this resolution. One small transaction each.
    func thinNextPeriod(
        blogKey: Int64, resolution: Resolution, cutoff: Int64, utcOffset: (Int64) -> Int64
    ) throws(StoreError) -> Bool {
        var cutoff = cutoff
        // Minute data a pending outbox entry still needs stays until the mirror sent it.
        if outbox, let pending = try oldestPending(blogKey: blogKey) { cutoff = min(cutoff, pending) }
        do {
            return try db.transaction {
                let done = try db.integer(
                    "SELECT coalesce((SELECT \(resolution.column) FROM retention WHERE blog_key = \(blogKey)), 0)")
                // The first snapshot not thinned yet, and the period that holds it.
                let next = try db.integer(
                    "SELECT coalesce(min(t), 0) FROM snapshots WHERE blog_key = \(blogKey) AND t >= \(done)")
                guard next > 0 else { return false }
                let (start, end) = Self.period(containing: next, resolution: resolution, utcOffset: utcOffset)
                guard end <= cutoff else { return false }
                try thin(blogKey: blogKey, from: start, to: end)
                try db.execute(
                    """
                    INSERT INTO retention(blog_key, \(resolution.column)) VALUES (\(blogKey), \(end))
                    ON CONFLICT(blog_key) DO UPDATE SET \(resolution.column) = excluded.\(resolution.column)
                    """)
                return true
            }
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    /// The local hour or day around `time`.
    static func period(containing time: Int64, resolution: Resolution, utcOffset: (Int64) -> Int64) -> (Int64, Int64) {
        switch resolution {
        case .hour:
            let offset = utcOffset(time)
            let start = BucketGrid.floor(time + offset, 3600) - offset
            return (start, start + 3600)
        case .day:
            let day = BucketGrid.localDay(of: time, utcOffset: utcOffset)
            return (
                BucketGrid.midnight(ofLocalDay: day, utcOffset: utcOffset),
                BucketGrid.midnight(ofLocalDay: day + 1, utcOffset: utcOffset)
            )
        }
    }

    /// Keeps, within [from, to), the last snapshot, and each post's last sample and name.
    private func thin(blogKey: Int64, from: Int64, to: Int64) throws {
        let kept = try db.integer(
            "SELECT coalesce(max(t), 0) FROM snapshots WHERE blog_key = \(blogKey) AND t >= \(from) AND t < \(to)")
        guard kept > 0 else { return }
        let posts = "SELECT post_key FROM posts WHERE blog_key = \(blogKey)"
        for table in ["samples", "names"] {
            try db.execute(
                """
                DELETE FROM \(table) WHERE post_key IN (\(posts)) AND t >= \(from) AND t < \(to)
                  AND t < (SELECT max(k.t) FROM \(table) k WHERE k.post_key = \(table).post_key AND k.t >= \(from) AND k.t < \(to))
                """)
        }
        try thinBlocks(blogKey: blogKey, from: from, to: to)
        try db.execute("DELETE FROM snapshots WHERE blog_key = \(blogKey) AND t >= \(from) AND t < \(kept)")
        try db.execute("DELETE FROM snapshot_hashes WHERE blog_key = \(blogKey) AND t >= \(from) AND t < \(kept)")
        // The kept snapshot's gain now covers the whole period since the previous kept one.
        try db.execute(
            """
            UPDATE snapshots SET gained = gained_total - coalesce(
                (SELECT p.gained_total FROM snapshots p WHERE p.blog_key = \(blogKey) AND p.t < \(from)
                 ORDER BY p.t DESC LIMIT 1), 0)
            WHERE blog_key = \(blogKey) AND t = \(kept)
            """)
    }

    /// Every blog's key, for the retention loop.
    func blogKeys() throws(StoreError) -> [Int64] {
        do {
            let statement = try db.prepare("SELECT blog_key FROM blogs ORDER BY blog_key")
            var keys: [Int64] = []
            while try statement.step() { keys.append(statement.int64(0)) }
            return keys
        } catch {
            throw StoreError(error)
        }
    }
}
