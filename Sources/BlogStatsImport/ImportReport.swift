import BlogStatsCore
public import BlogStatsStore

/// What an import did, for the summary line.
public struct ImportReport: Sendable {
    public var points = 0
    /// What `points` counts: InfluxDB points, or CSV rows.
    public var unit = "points"
    public var rows = 0
    /// Snapshots stored now.
    public var added = 0
    /// Snapshots already stored with the same content (a re-run).
    public var duplicates = 0
    /// Snapshots not stored: the store holds a different snapshot at the same second.
    public var conflicts: [(blog: String, capturedAt: Int64)] = []
    public var skips = SnapshotGrouper.Skips()
    /// Examples of left-out points or rows (at most ten).
    public var skipExamples: [String] = []
    /// Where a previous run had got to, when this one resumed.
    public var resumedAfter: Int64? = nil
    public var interrupted = false

    public init() {}

    /// Counts one snapshot's answer from the store.
    mutating func count(_ summary: IngestSummary) {
        if summary.duplicate { duplicates += 1 } else { added += 1 }
    }

    /// `12,000 points → 12 snapshots added, 0 already stored, …` in one line.
    public var summary: String {
        var parts = [
            "\(points) \(unit)", "\(added) snapshots added", "\(duplicates) already stored",
            "\(conflicts.count) conflicts",
        ]
        var skipped = "\(skips.total) skipped"
        if skips.total > 0 {
            skipped += " (\(skips.noID) without id, \(skips.badValue) bad value"
            skipped += skips.badBlog > 0 ? ", \(skips.badBlog) bad blog)" : ")"
        }
        parts.append(skipped)
        if skips.replaced > 0 { parts.append("\(skips.replaced) replaced by a later point in the same second") }
        return parts.joined(separator: ", ")
    }
}

/// Where imported snapshots go: the store file, opened as its sole writer.
public final class ImportDestination {
    let store: SQLiteStore

    /// Opens the store for an import; fails when a server (or another import) is using it.
    public init(path: String) throws(StoreError) {
        store = try SQLiteStore(path: path, busyTimeoutMilliseconds: 10_000, soleWriter: true, durableCommits: false)
    }

    public func close() { store.close() }

    /// Stores one group's snapshots, each in its own transaction; the last carries `progress`
    /// so a resumed import never skips a snapshot. A conflict is counted, not fatal.
    func store(_ snapshots: [Snapshot], progress: ImportProgress?, into report: inout ImportReport) throws(StoreError) {
        guard !snapshots.isEmpty else {
            if let progress { _ = try store.ingest([], progress: progress) }
            return
        }
        for (index, snapshot) in snapshots.enumerated() {
            let isLast = index == snapshots.count - 1
            report.rows += snapshot.rows.count
            do throws(StoreError) {
                let summaries = try store.ingest([snapshot], progress: isLast ? progress : nil)
                report.count(summaries[0])
            } catch {
                guard case .conflict(let blog, let time) = error else { throw error }
                report.conflicts.append((blog, time))
                if isLast, let progress { _ = try store.ingest([], progress: progress) }
            }
        }
    }
}
