import BlogStatsCore
import BlogStatsSQLite

/// An export being written, chunk by chunk, from its own read-only connection.
///
/// The connection is opened for this export alone and reads inside one transaction, so the
/// export is one consistent snapshot of the store (WAL) however long it takes, never waits for
/// the receiver's shared read lock and never blocks ingestion. Memory is bounded by the chunk
/// size and the number of posts of a blog, not by the history. Used by one thread at a time.
public final class ExportStream {
    /// A chunk is at least this big, except the last.
    public static let chunkSize = 64 * 1024
    /// The oldest schema an export understands (running totals and absences indexed).
    static let oldestSchema: Int64 = 4

    public let request: ExportRequest
    /// Rows written so far.
    public private(set) var rows = 0
    private var engine: QueryEngine?
    private let format: ExportRowFormat
    private let blogs: [(key: Int64, name: String)]
    private let grid: BucketGrid?
    private var blogIndex = 0
    private var producer: (any ExportProducer)?
    private var headerWritten = false
    private let chunkSize: Int
    private let windowRows: Int64

    /// Opens the store at `path` and checks the request against it: an unknown blog or post
    /// fails here, before anything is written.
    /// - Parameter utcOffset: seconds east of UTC at an instant, for series buckets of days and weeks.
    public convenience init(
        path: String, request: ExportRequest, utcOffset: (Int64) -> Int64 = { _ in 0 }
    ) throws(ExportError) {
        try self.init(
            path: path, request: request, utcOffset: utcOffset, chunkSize: Self.chunkSize,
            windowRows: ExportWindows.rowBudget)
    }

    /// - Parameters: chunkSize, windowRows: smaller than usual to test chunk and window boundaries.
    init(
        path: String, request: ExportRequest, utcOffset: (Int64) -> Int64, chunkSize: Int, windowRows: Int64
    ) throws(ExportError) {
        self.request = request
        self.chunkSize = max(1, chunkSize)
        self.windowRows = windowRows
        format = ExportRowFormat(kind: request.kind, format: request.format)
        try request.validate()
        grid = request.kind == .series ? request.grid(utcOffset: utcOffset) : nil
        var opened: QueryEngine? = nil
        do {
            try Self.checkSchema(path)
            let engine = try QueryEngine(path: path)
            opened = engine
            try engine.db.execute("PRAGMA busy_timeout = 5000")
            // Every read from here on sees the store as it is now, whatever is ingested meanwhile.
            try engine.db.execute("BEGIN")
            blogs = try Self.blogs(engine.db, request: request)
            self.engine = engine
        } catch let error as SQLiteError {
            opened?.close()
            throw ExportError(error)
        } catch let error as ExportError {
            opened?.close()
            throw error
        } catch {
            opened?.close()
            throw ExportError(.failed, "\(error)")
        }
    }

    deinit { close() }

    /// The next chunk, or nil at the end (the connection is closed then).
    public func next() throws(ExportError) -> [UInt8]? {
        guard let engine else { return nil }
        var output = ExportOutput(limit: chunkSize)
        if !headerWritten {
            output.bytes.append(contentsOf: format.header)
            headerWritten = true
        }
        do {
            while !output.isFull {
                if producer == nil {
                    guard blogIndex < blogs.count else {
                        close()
                        break
                    }
                    producer = try makeProducer(engine, blogs[blogIndex])
                    blogIndex += 1
                }
                if try !producer!.fill(&output) { producer = nil }
            }
        } catch let error as SQLiteError {
            close()
            throw ExportError(error)
        } catch let error as StoreError {
            close()
            throw ExportError(.failed, error.description)
        } catch {
            close()
            throw ExportError(.failed, "\(error)")
        }
        rows += output.rows
        return output.bytes.isEmpty ? nil : output.bytes
    }

    /// Ends the export early (or after the end): the read transaction and the connection go.
    public func close() {
        producer = nil
        engine?.close()
        engine = nil
    }

    private func makeProducer(_ engine: QueryEngine, _ blog: (key: Int64, name: String)) throws -> any ExportProducer {
        switch request.kind {
        case .snapshots:
            try ExportSnapshotRows(
                db: engine.db, blogKey: blog.key, blog: blog.name, request: request, format: format,
                windowRows: windowRows)
        case .samples:
            try ExportSampleRows(
                db: engine.db, blogKey: blog.key, blog: blog.name, request: request, format: format,
                windowRows: windowRows)
        case .series:
            ExportSeriesRows(engine: engine, blog: blog.name, request: request, grid: grid!, format: format)
        }
    }

    /// A file that is no store, or a store older than exports, fails with a clear message.
    private static func checkSchema(_ path: String) throws {
        SampleBlocks.install()
        let database = try Database(path: path, readOnly: true)
        defer { database.close() }
        let version = try database.integer("PRAGMA user_version")
        guard version >= oldestSchema else {
            throw ExportError(
                .failed,
                version == 0
                    ? "\(path) is not a blogstats store"
                    : "\(path) has schema version \(version): start blogstats serve on it once to bring it up to date")
        }
    }

    /// The blogs the export covers, by name; only those with the post when it is about one post.
    private static func blogs(_ db: Database, request: ExportRequest) throws -> [(key: Int64, name: String)] {
        var sql = "SELECT b.blog_key, b.name FROM blogs b WHERE 1"
        if request.blog != nil { sql += " AND b.name = ?1" }
        if request.post != nil {
            sql += " AND EXISTS (SELECT 1 FROM posts p WHERE p.blog_key = b.blog_key AND p.id = ?2)"
        }
        let statement = try db.prepare(sql + " ORDER BY b.name")
        statement.bind(request.blog.map { .text($0) } ?? .null, request.post.map { .text($0) } ?? .null)
        var blogs: [(key: Int64, name: String)] = []
        while try statement.step() { blogs.append((statement.int64(0), statement.text(1))) }
        statement.reset()
        if blogs.isEmpty, let blog = request.blog {
            let known = try db.prepare("SELECT 1 FROM blogs WHERE name = ?1")
            defer { known.reset() }
            guard try known.bind(.text(blog)).step() else {
                throw ExportError(.notFound, "no blog named \"\(blog)\"", field: "blog")
            }
        }
        if blogs.isEmpty, let post = request.post {
            let place = request.blog.map { "in blog \"\($0)\"" } ?? "in any blog"
            throw ExportError(.notFound, "no post \"\(post)\" \(place)", field: "id")
        }
        return blogs
    }
}
