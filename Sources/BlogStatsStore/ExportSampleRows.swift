import BlogStatsSQLite

/// `kind=samples` for one blog: the stored change-only rows in time order, then by post id,
/// window by window (see `ExportWindows`). An empty `views` is a post going missing.
final class ExportSampleRows: ExportProducer {
    private let format: ExportRowFormat
    private let blogCell: [UInt8]
    private let blogKey: Int64
    private let post: String?
    private let windows: ExportWindows
    private let samples: Statement
    private var reading = false
    /// `time,blog,` of the last time written: rows of one snapshot share it.
    private var prefix: [UInt8] = []
    private var prefixTime: Int64? = nil

    init(
        db: Database, blogKey: Int64, blog: String, request: ExportRequest, format: ExportRowFormat, windowRows: Int64
    ) throws {
        self.format = format
        self.blogKey = blogKey
        post = request.post
        blogCell = format.cell(1, text: blog)
        samples = try db.prepare(
            """
            SELECT t, id, views, gained_total FROM (\(ExportSQL.samples(columns: "p.id", post: request.post)))
            ORDER BY t, id
            """)
        windows = try ExportWindows(
            db: db, blogKey: blogKey, postCount: try ExportSQL.postCount(db, blogKey: blogKey, post: request.post),
            from: request.from, to: request.to, minimumRows: windowRows)
    }

    func fill(_ output: inout ExportOutput) throws -> Bool {
        while !output.isFull {
            guard reading, try samples.step() else {
                if reading { samples.reset() }
                guard let window = try windows.next() else { return false }
                ExportSQL.bind(samples, blogKey: blogKey, start: window.start, end: window.end, post: post)
                reading = true
                continue
            }
            let time = samples.int64(0)
            if time != prefixTime {
                prefix = []
                format.column(0, &prefix)
                format.time(time, &prefix)
                prefix.append(contentsOf: blogCell)
                prefixTime = time
            }
            output.bytes.append(contentsOf: prefix)
            format.column(2, &output.bytes)
            format.text(samples.text(1), &output.bytes)
            format.column(3, &output.bytes)
            format.optionalInteger(samples.optionalInt64(2), &output.bytes)
            format.column(4, &output.bytes)
            format.integer(samples.int64(3), &output.bytes)
            format.end(&output.bytes)
            output.rows += 1
        }
        return true
    }
}
