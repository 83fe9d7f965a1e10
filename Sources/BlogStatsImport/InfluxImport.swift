import BlogStatsStore

/// `blogstats import influx`: reads the old receiver's history from InfluxDB page by page,
/// groups it into snapshots and stores them with their original times, recording its progress
/// in the store with each snapshot so a re-run resumes after the last one stored.
public final class InfluxImport {
    public let source: InfluxSource
    public let defaultBlog: String
    /// Nanoseconds; nil for the whole history.
    public let from: Int64?
    public let to: Int64?
    private let client = InfluxQueryClient()
    /// Set it to stop after the snapshot being stored.
    public let stopRequest = StopRequest()

    public init(source: InfluxSource, defaultBlog: String, from: Int64?, to: Int64?) {
        self.source = source
        self.defaultBlog = defaultBlog
        self.from = from
        self.to = to
    }

    /// The times (ns) of the first and last point to import, nil when there is none; for progress.
    public func span() throws(InfluxError) -> (first: Int64, last: Int64)? {
        let first = try source.run(source.boundaryQuery(last: false), client: client).points.first?.time
        let last = try source.run(source.boundaryQuery(last: true), client: client).points.first?.time
        guard var first, var last else { return nil }
        if let from { first = max(first, from) }
        if let to { last = min(last, to - 1) }
        return first <= last ? (first, last) : nil
    }

    /// Runs the import into `destination`. `progress` is called after each page with the time
    /// (ns) reached and the report so far.
    public func run(
        into destination: ImportDestination, progress: (Int64, ImportReport) -> Void = { _, _ in }
    ) throws -> ImportReport {
        var report = ImportReport()
        let identity = source.identity(defaultBlog: defaultBlog, from: from)
        var start = from ?? InfluxSource.minimumTime
        if let done = try destination.store.importProgress(source: identity) {
            report.resumedAfter = done
            start = max(start, done + 1)
        }
        let pager = PagePrefetcher(InfluxPager(source: source, client: client, start: start, end: to))
        var grouper = SnapshotGrouper(defaultBlog: defaultBlog)
        func store(_ group: SnapshotGrouper.Group) throws(StoreError) {
            report.points += group.points
            try destination.store(
                group.snapshots, progress: ImportProgress(source: identity, through: group.last), into: &report)
        }
        while let page = try pager.next() {
            for point in page {
                if let group = grouper.add(point) {
                    try store(group)
                    if stopRequest.isRequested {
                        report.interrupted = true
                        break
                    }
                }
            }
            if report.interrupted { break }
            progress(page.last?.time ?? start, report)
        }
        if !report.interrupted, let group = grouper.finish() { try store(group) }
        report.skips = grouper.skips
        report.skipExamples = grouper.examples
        return report
    }
}
