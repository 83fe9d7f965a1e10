import BlogStatsCore
import BlogStatsSQLite

/// Reads WriteFreely's SQLite database: one snapshot per blog (collection alias), posts
/// without a collection (drafts, anonymous posts) in the blog `_unfiled`.
///
/// The database is opened read-only and never written, and the posts table is read in short
/// transactions of `rowsPerTransaction` rows, so WriteFreely's view-count UPDATE never waits
/// for more than one of them (its busy timeout is 5 s; a view that times out is lost).
public struct WriteFreelySource: Sendable {
    /// The blog that posts without a collection go to.
    public static let unfiledBlog = "_unfiled"

    public var path: String
    /// Only these blogs (collection aliases, or `_unfiled`); empty: every blog.
    public var blogs: [String] = []
    public var includeUnfiled = true
    /// How long a read waits for WriteFreely's write lock before giving up.
    public var busyTimeoutMilliseconds = 5000
    /// Rows per read transaction; 0 reads the whole table in one transaction (one consistent
    /// instant, but the lock is held for the whole scan).
    public var rowsPerTransaction = 2000
    public var gzipLevel: Int32 = 1

    public init(path: String) {
        self.path = path
    }

    public func read(capturedAt: Int64) throws(CollectorError) -> SourceRead {
        let start = ContinuousClock.now
        let database = try open()
        var scan = PostScan(source: self, capturedAt: capturedAt)
        do throws(SQLiteError) {
            try scan.run(database, rowsPerTransaction: rowsPerTransaction, exactIDs: false)
            if scan.assembler.mayHaveDuplicateIDs() {
                // Either a post's row moved while the table was read in pieces (a VACUUM can
                // renumber rowids) or two rows really share an id: read again in one piece and see.
                scan = PostScan(source: self, capturedAt: capturedAt)
                try scan.run(database, rowsPerTransaction: 0, exactIDs: true)
            }
        } catch {
            throw describe(error)
        }
        if let failure = scan.failure { throw failure }
        let posts = scan.assembler.rows
        return SourceRead(
            snapshots: scan.assembler.finish(), posts: posts, elapsedMilliseconds: milliseconds(from: start),
            longestLockMilliseconds: scan.longestLock, totalLockMilliseconds: scan.totalLock,
            transactions: scan.transactions, origin: path)
    }

    private func open() throws(CollectorError) -> Database {
        do throws(CollectorError) {
            return try SourceDatabase.open(
                path, busyTimeoutMilliseconds: busyTimeoutMilliseconds, what: "the WriteFreely database")
        } catch {
            guard error.message.hasSuffix("no such file") else { throw error }
            throw CollectorError(
                error.message + " (it is the file named in database.filename of WriteFreely's config.ini)")
        }
    }

    func describe(_ error: SQLiteError) -> CollectorError {
        var described = SourceDatabase.describe(error, path: path, busyTimeoutMilliseconds: busyTimeoutMilliseconds)
        if error.code & 0xFF == 26 { described.message += " — is this WriteFreely's database?" }
        return described
    }
}

/// One read of the posts table: where each collection's rows go, and what the reads cost.
struct PostScan {
    let source: WriteFreelySource
    var assembler: SnapshotAssembler
    /// Collection id → part of the assembler, or -1 for a blog that is not wanted.
    private var route: [Int64: Int] = [:]
    private var unfiledPart = -1
    private var exactIDs: [Set<String>] = []
    private(set) var failure: CollectorError? = nil
    private(set) var longestLock = 0.0
    private(set) var totalLock = 0.0
    private(set) var transactions = 0

    init(source: WriteFreelySource, capturedAt: Int64) {
        self.source = source
        assembler = SnapshotAssembler(capturedAt: capturedAt, gzipLevel: source.gzipLevel)
    }

    /// Reads the whole table: in pieces of `rowsPerTransaction` rows, or in one transaction (0).
    /// `exactIDs` keeps every id to name a duplicate (one transaction only).
    mutating func run(_ database: Database, rowsPerTransaction: Int, exactIDs checkExactly: Bool) throws(SQLiteError) {
        var rows: RowQuery? = nil
        var lastRowID = Int64.min
        var more = true
        while more && failure == nil {
            try transaction(database) { (scan: inout PostScan) throws(SQLiteError) in
                if rows == nil {
                    guard scan.checkSchema(database) else { return }
                    try scan.planBlogs(database)
                    guard scan.failure == nil else { return }
                    rows = try RowQuery(database, rowsPerTransaction: rowsPerTransaction)
                }
                guard let rows else { return }
                if rows.chunked { rows.statement.bind(.integer(lastRowID), .integer(Int64(rowsPerTransaction))) }
                var count = 0
                while try rows.statement.step() {
                    count += 1
                    lastRowID = rows.statement.int64(0)
                    try scan.take(rows.statement, database, checkExactly: checkExactly)
                }
                rows.statement.reset()
                more = rows.chunked && count == rowsPerTransaction
            }
            // Outside the transaction: compressing never lengthens a lock.
            assembler.compressFullParts()
        }
    }

    /// BEGIN … COMMIT around `body`, timed: the time WriteFreely could be kept waiting.
    private mutating func transaction(
        _ database: Database, _ body: (inout PostScan) throws(SQLiteError) -> Void
    ) throws(SQLiteError) {
        let start = ContinuousClock.now
        try database.execute("BEGIN")
        do throws(SQLiteError) {
            try body(&self)
            try database.execute("COMMIT")
        } catch {
            try? database.execute("ROLLBACK")
            throw error
        }
        let held = milliseconds(from: start)
        longestLock = max(longestLock, held)
        totalLock += held
        transactions += 1
    }

    /// The columns the collector reads must exist; otherwise say which is missing.
    private mutating func checkSchema(_ database: Database) -> Bool {
        let needed = [
            ("posts", ["id", "slug", "view_count", "title", "collection_id"]),
            ("collections", ["id", "alias"]),
        ]
        for (table, columns) in needed {
            let found: [String]
            do throws(SQLiteError) {
                let statement = try database.prepare("PRAGMA table_info(\(table))")
                var names: [String] = []
                while try statement.step() { names.append(statement.text(1).lowercased()) }
                found = names
            } catch {
                failure = source.describe(error)
                return false
            }
            guard !found.isEmpty else {
                failure = CollectorError("\(source.path) has no table \(table) — is this a WriteFreely database?")
                return false
            }
            for column in columns where !found.contains(column) {
                failure = CollectorError(
                    "table \(table) has no column \(column) — is this a WriteFreely database? (\(source.path))")
                return false
            }
        }
        return true
    }

    /// One part per wanted blog, in alias order with `_unfiled` last, so that blogs without
    /// posts still get a snapshot (their posts were deleted: the receiver must hear it).
    private mutating func planBlogs(_ database: Database) throws(SQLiteError) {
        let statement = try database.prepare("SELECT id, alias FROM collections ORDER BY alias")
        var aliases: [(Int64, String)] = []
        while try statement.step() {
            aliases.append((statement.int64(0), blogName(id: statement.int64(0), alias: statement.text(1))))
        }
        let wanted = Set(source.blogs)
        let known = Set(aliases.map(\.1) + [WriteFreelySource.unfiledBlog])
        if let unknown = source.blogs.first(where: { !known.contains($0) }) {
            let list = aliases.map(\.1).joined(separator: ", ")
            failure = CollectorError(
                "no blog \"\(unknown)\" in \(source.path) (its blogs: \(list.isEmpty ? "none" : list), and \(WriteFreelySource.unfiledBlog))"
            )
            return
        }
        for (id, name) in aliases {
            guard wanted.isEmpty || wanted.contains(name) else {
                route[id] = -1
                continue
            }
            guard validate(name) else { return }
            route[id] = assembler.part(for: name)
        }
        let unfiledWanted = wanted.isEmpty ? source.includeUnfiled : wanted.contains(WriteFreelySource.unfiledBlog)
        if unfiledWanted { unfiledPart = assembler.part(for: WriteFreelySource.unfiledBlog) }
        exactIDs = Array(repeating: [], count: assembler.parts.count)
    }

    private func blogName(id: Int64, alias: String) -> String {
        alias.isEmpty ? "collection-\(id)" : alias
    }

    private mutating func validate(_ name: String) -> Bool {
        do throws(SnapshotFormatError) {
            try BlogName.validate(name, field: "blog")
            return true
        } catch {
            failure = CollectorError("\(source.path): collection alias \(error.message)")
            return false
        }
    }

    private mutating func take(_ row: Statement, _ database: Database, checkExactly: Bool) throws(SQLiteError) {
        guard !checkExactly else { return try takeChecked(row, database) }
        guard row.withBytes(1, { !$0.isEmpty }), let part = try part(of: row, database) else { return }
        // The common row: ASCII id, slug and title, handed from SQLite's buffers to the CSV
        // without a String. Anything else goes through String, which repairs invalid UTF-8.
        let copied = row.withBytes(1) { id in
            row.withBytes(2) { slug in
                row.withBytes(4) { title in
                    guard Self.isASCII(id), Self.isASCII(slug), Self.isASCII(title) else { return false }
                    assembler.append(part: part, id: id, slug: slug, views: row.int64(3), title: title)
                    return true
                }
            }
        }
        if !copied {
            assembler.append(part: part, id: row.text(1), slug: row.text(2), views: row.int64(3), title: row.text(4))
        }
    }

    private static func isASCII(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        var high: UInt8 = 0
        for byte in bytes { high |= byte }
        return high < 0x80
    }

    /// The blog part a row goes to; nil for a blog that is not wanted.
    private mutating func part(of row: Statement, _ database: Database) throws(SQLiteError) -> Int? {
        let part: Int
        if let collection = row.optionalInt64(5) {
            if let known = route[collection] {
                part = known
            } else {
                part = try routeNewCollection(collection, database)
            }
        } else {
            part = unfiledPart
        }
        return part >= 0 ? part : nil
    }

    private mutating func takeChecked(_ row: Statement, _ database: Database) throws(SQLiteError) {
        let id = row.text(1)
        guard !id.isEmpty, let part = try part(of: row, database) else { return }
        while exactIDs.count <= part { exactIDs.append([]) }
        guard exactIDs[part].insert(id).inserted else {
            if failure == nil {
                failure = CollectorError(
                    "\(source.path): posts has more than one row with id \"\(id)\" in blog \(assembler.parts[part].blog ?? "?"); the receiver would reject the snapshot"
                )
            }
            return
        }
        assembler.append(part: part, id: id, slug: row.text(2), views: row.int64(3), title: row.text(4))
    }

    /// A collection created while the table was being read, or a post whose collection is gone.
    private mutating func routeNewCollection(_ collection: Int64, _ database: Database) throws(SQLiteError) -> Int {
        let statement = try database.prepare("SELECT alias FROM collections WHERE id = ?1")
        statement.bind(.integer(collection))
        defer { statement.reset() }
        let part: Int
        if try statement.step() {
            let name = blogName(id: collection, alias: statement.text(0))
            let wanted = source.blogs.isEmpty || source.blogs.contains(name)
            part = wanted && validate(name) ? assembler.part(for: name) : -1
        } else {
            part = unfiledPart
        }
        route[collection] = part
        return part
    }
}

/// The statement that reads posts: in rowid order from a given rowid on, or the whole table.
struct RowQuery {
    let statement: Statement
    let chunked: Bool

    init(_ database: Database, rowsPerTransaction: Int) throws(SQLiteError) {
        if rowsPerTransaction > 0 {
            // posts has no primary key, so it has a rowid: each piece seeks to its start in O(log n).
            do throws(SQLiteError) {
                statement = try database.prepare(
                    "SELECT rowid, id, slug, view_count, title, collection_id FROM posts WHERE rowid > ?1 ORDER BY rowid LIMIT ?2"
                )
                chunked = true
                return
            } catch {
                // A table without rowid (not WriteFreely's own schema): read it in one piece.
            }
        }
        statement = try database.prepare("SELECT 0, id, slug, view_count, title, collection_id FROM posts")
        chunked = false
    }
}
