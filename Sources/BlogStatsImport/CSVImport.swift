public import BlogStatsCore

/// `blogstats import csv`: a history file (`time,id,slug,view_count,title[,blog]`) into the
/// store, one snapshot per time and blog. The whole file is checked before anything is stored,
/// so a malformed file changes nothing; a re-run stores nothing twice (duplicates).
public final class CSVImport {
    private let file: MappedFile
    public let path: String
    public let defaultBlog: String
    /// Set it to stop after the snapshot being stored.
    public let stopRequest = StopRequest()

    public init(path: String, defaultBlog: String) throws(ImportFileError) {
        self.path = path
        self.defaultBlog = defaultBlog
        file = try MappedFile(path: path)
    }

    public var size: Int { file.bytes.count }

    /// How much of the file is read before the pages behind are dropped from memory.
    static let releaseEvery = 8 << 20

    /// Reads the whole file without storing anything: the first error, with its line and column.
    public func check() throws(SnapshotFormatError) -> (snapshots: Int, rows: Int) {
        var reader = try HistoryCSV(file.bytes, defaultBlog: defaultBlog)
        var snapshots = 0
        var rows = 0
        var released = 0
        while let snapshot = try reader.next() {
            snapshots += 1
            rows += snapshot.rows.count
            if reader.offset - released >= Self.releaseEvery {
                released = reader.offset
                file.release(upTo: released)
            }
        }
        file.release(upTo: file.bytes.count)
        return (snapshots, rows)
    }

    /// Stores every snapshot; `progress` gets the share of the file read (0…1) now and then.
    public func run(into destination: ImportDestination, progress: (Double, ImportReport) -> Void = { _, _ in })
        throws -> ImportReport
    {
        var report = ImportReport()
        report.unit = "rows"
        var reader = try HistoryCSV(file.bytes, defaultBlog: defaultBlog)
        var count = 0
        var released = 0
        while let snapshot = try reader.next() {
            if reader.offset - released >= Self.releaseEvery {
                released = reader.offset
                file.release(upTo: released)
            }
            try destination.store([snapshot], progress: nil, into: &report)
            count += 1
            if count % 20 == 0 { progress(Double(reader.offset) / Double(max(1, size)), report) }
            if stopRequest.isRequested {
                report.interrupted = true
                break
            }
        }
        report.points = reader.rowsRead
        report.skips.badValue = reader.skippedBadCount
        report.skips.noID = reader.skippedNoID
        report.skipExamples = reader.skipExamples.map { "row skipped: \($0)" }
        return report
    }
}
