import BlogStatsCore
import BlogStatsSQLite

/// Any SQLite-backed blog engine: a query returning `id, slug, view_count, title` (in that
/// order), or columns named so (plus an optional `blog`), read in one short transaction.
public struct SQLQuerySource: Sendable {
    public var path: String
    public var query: String
    /// The blog of rows without a `blog` column; nil: the receiver's default.
    public var blog: String?
    public var busyTimeoutMilliseconds = 5000
    public var gzipLevel: Int32 = 1

    public init(path: String, query: String, blog: String? = nil) {
        self.path = path
        self.query = query
        self.blog = blog
    }

    /// Where each value is in the query's columns.
    struct Layout: Equatable {
        var id: Int32
        var slug: Int32?
        var views: Int32
        var title: Int32?
        var blog: Int32?

        /// By name when the columns are named `id` and `view_count`; else the first four in order.
        static func find(_ names: [String]) -> Layout? {
            let lowered = names.map { $0.lowercased() }
            func column(_ name: String) -> Int32? { lowered.firstIndex(of: name).map(Int32.init) }
            if let id = column("id"), let views = column("view_count") {
                return Layout(id: id, slug: column("slug"), views: views, title: column("title"), blog: column("blog"))
            }
            guard names.count == 4 else { return nil }
            return Layout(id: 0, slug: 1, views: 2, title: 3, blog: nil)
        }
    }

    public func read(capturedAt: Int64) throws(CollectorError) -> SourceRead {
        let start = ContinuousClock.now
        let database = try SourceDatabase.open(
            path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, what: "the database")
        var assembler = SnapshotAssembler(capturedAt: capturedAt, gzipLevel: gzipLevel)
        var seen: [Set<String>] = []
        var lockHeld = 0.0
        do {
            let names = try database.columnNames(query)
            guard let layout = Layout.find(names) else {
                throw CollectorError(
                    "--query returns the columns (\(names.joined(separator: ", "))): it must return id, slug, view_count, title in that order, or name them (… AS id, … AS view_count, and optionally slug, title, blog)"
                )
            }
            let statement = try database.prepare(query)
            let lockStart = ContinuousClock.now
            try database.execute("BEGIN")
            defer {
                try? database.execute("COMMIT")
                lockHeld = milliseconds(from: lockStart)
            }
            var row = 0
            while try statement.step() {
                row += 1
                let id = statement.text(layout.id)
                guard !id.isEmpty else { throw CollectorError("--query row \(row): id is empty") }
                guard !statement.isNull(layout.views), statement.int64(layout.views) >= 0 else {
                    throw CollectorError("--query row \(row) (id \(id)): view_count is NULL or negative")
                }
                let rowBlog = layout.blog.map { statement.text($0) }.flatMap { $0.isEmpty ? nil : $0 } ?? blog
                let part = assembler.part(for: rowBlog)
                while seen.count <= part { seen.append([]) }
                guard seen[part].insert(id).inserted else {
                    throw CollectorError("--query returns id \"\(id)\" twice (blog \(rowBlog ?? "default"))")
                }
                assembler.append(
                    part: part, id: id, slug: layout.slug.map { statement.text($0) } ?? "",
                    views: statement.int64(layout.views), title: layout.title.map { statement.text($0) } ?? "")
            }
            statement.reset()
        } catch let error as CollectorError {
            throw error
        } catch let error as SQLiteError {
            throw SourceDatabase.describe(error, path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        } catch {
            throw CollectorError("\(error)")
        }
        for part in assembler.parts {
            if let name = part.blog { try Self.validate(name) }
        }
        if assembler.parts.isEmpty { _ = assembler.part(for: blog) }
        let posts = assembler.rows
        return SourceRead(
            snapshots: assembler.finish(), posts: posts, elapsedMilliseconds: milliseconds(from: start),
            longestLockMilliseconds: lockHeld, totalLockMilliseconds: lockHeld, transactions: 1, origin: path)
    }

    static func validate(_ blog: String) throws(CollectorError) {
        do throws(SnapshotFormatError) {
            try BlogName.validate(blog, field: "blog")
        } catch {
            throw CollectorError(error.message)
        }
    }
}
