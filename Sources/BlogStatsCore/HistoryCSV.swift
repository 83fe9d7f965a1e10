/// Reads a history file: CSV with a header naming `time`, `id`, `view_count` and optionally
/// `slug`, `title`, `blog` (the columns `blogstats export` writes), one snapshot per group of
/// rows sharing a time and a blog, in one pass over the bytes and one group in memory.
///
/// Rows of one snapshot must be together, and each blog's snapshots in time order (sorted by
/// time, or by blog then time); a row breaking that is an error naming its line. A row without
/// a usable id or count is skipped and counted; anything else malformed is an error.
public struct HistoryCSV {
    private var reader: CSVRecordReader
    private var layout: ColumnLayout
    private let time: Int
    private let defaultBlog: String
    private var pending: (time: Int64, blog: String, rows: [SnapshotRow])? = nil
    private var newest: [String: (time: Int64, line: Int)] = [:]
    private var finished = false
    /// Rows left out so far: without a usable id, without a usable view count.
    public private(set) var skippedNoID = 0
    public private(set) var skippedBadCount = 0
    /// Why the first ten rows were left out (with their line and column).
    public private(set) var skipExamples: [SnapshotFormatError] = []
    /// How far into the bytes reading has got.
    public var offset: Int { reader.offset }
    /// Rows read so far, kept or skipped.
    public private(set) var rowsRead = 0

    /// Reads the header. `bytes` must stay valid while the reader is used (a mapped file).
    public init(_ bytes: UnsafeBufferPointer<UInt8>, defaultBlog: String) throws(SnapshotFormatError) {
        try BlogName.validate(defaultBlog, field: "blog")
        self.defaultBlog = defaultBlog
        reader = CSVRecordReader(separator: UInt8(ascii: ","))
        reader.start(bytes)
        guard let header = try reader.nextRecord() else { throw SnapshotFormatError("the file is empty", line: 1) }
        var names: [String] = []
        for index in 0..<header.count {
            names.append(try reader.string(header, index, field: nil).lowercased().trimmingASCIIWhitespace())
        }
        func column(_ name: String) -> Int? { names.firstIndex(of: name) }
        for required in ["time", "id", "view_count"] where column(required) == nil {
            throw SnapshotFormatError(
                "the header has no \"\(required)\" column (expected time,id,slug,view_count,title[,blog]; found: \(names.joined(separator: ",")))",
                line: header.line, field: required)
        }
        for (index, name) in names.enumerated() where name == "time" || SnapshotCSV.knownColumns.contains(name) {
            if column(name) != index {
                throw SnapshotFormatError(
                    "the header names column \"\(name)\" twice", line: header.line, column: index + 1, field: name)
            }
        }
        time = column("time")!
        layout = ColumnLayout(
            id: column("id")!, slug: column("slug"), views: column("view_count")!, title: column("title"),
            blog: column("blog"), width: header.count, fromHeader: true)
    }

    /// The next snapshot, or nil at the end of the file.
    public mutating func next() throws(SnapshotFormatError) -> Snapshot? {
        while !finished {
            guard let record = try reader.nextRecord() else {
                finished = true
                return try flush()
            }
            rowsRead += 1
            guard record.count == layout.width else {
                throw SnapshotFormatError(
                    "this row has \(record.count) columns, the header has \(layout.width)", line: record.line,
                    column: min(record.count, layout.width) + 1)
            }
            let captured = try captureTime(record)
            var row: SnapshotRow
            do throws(SnapshotFormatError) {
                row = try layout.row(from: record, reader: reader)
            } catch {
                // No usable id or count: the row cannot belong to any snapshot.
                guard error.field == "id" || error.field == "view_count" else { throw error }
                if error.field == "id" { skippedNoID += 1 } else { skippedBadCount += 1 }
                if skipExamples.count < 10 { skipExamples.append(error) }
                continue
            }
            let blog = row.blog.isEmpty ? defaultBlog : row.blog
            row.blog = blog
            if let current = pending, current.time == captured, current.blog == blog {
                pending!.rows.append(row)
                continue
            }
            if let seen = newest[blog], seen.time >= captured {
                throw SnapshotFormatError(
                    "blog \(blog) at \(Timestamp.format(captured)) comes after its snapshot at \(Timestamp.format(seen.time)) (line \(seen.line)): rows of one time must be together and each blog's times increasing: sort the file by time",
                    line: record.line, column: time + 1, field: "time")
            }
            if newest[blog] == nil {
                do throws(SnapshotFormatError) {
                    try BlogName.validate(blog, field: "blog")
                } catch {
                    throw SnapshotFormatError(
                        error.message, line: record.line, column: layout.blog.map { $0 + 1 }, field: "blog")
                }
            }
            newest[blog] = (captured, record.line)
            let done = try flush()
            pending = (captured, blog, [row])
            if let done { return done }
        }
        return nil
    }

    private mutating func flush() throws(SnapshotFormatError) -> Snapshot? {
        guard let group = pending else { return nil }
        pending = nil
        return try Snapshot.group(
            group.rows, defaultBlog: group.blog, capturedAt: group.time, explicitTime: true, idColumn: layout.id + 1
        ).first
    }

    /// RFC 3339 (fractions dropped) or whole Unix seconds.
    private func captureTime(_ record: CSVRecord) throws(SnapshotFormatError) -> Int64 {
        let text = try reader.string(record, time, field: "time")
        let trimmed = text.trimmingASCIIWhitespace()
        if !trimmed.isEmpty, trimmed.utf8.count <= 12, trimmed.utf8.allSatisfy({ $0 &- 0x30 < 10 }),
            let seconds = Int64(trimmed)
        {
            return seconds
        }
        guard let seconds = Timestamp.parse(trimmed) else {
            throw SnapshotFormatError(
                "time is neither an RFC 3339 time nor Unix seconds: \"\(text.prefix(40))\"", line: record.line,
                column: time + 1, field: "time")
        }
        return seconds
    }
}
