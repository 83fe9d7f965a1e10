import BlogStatsSQLite

/// The bytes of one chunk of an export being written, and how many rows they hold.
struct ExportOutput {
    var bytes: [UInt8] = []
    var rows = 0
    /// A producer stops adding rows once the chunk reaches this size.
    let limit: Int

    init(limit: Int) {
        self.limit = limit
        bytes.reserveCapacity(limit + limit / 4)
    }

    var isFull: Bool { bytes.count >= limit }
}

/// Writes one blog's part of an export, a chunk at a time, keeping its place in between.
protocol ExportProducer: AnyObject {
    /// Appends rows until `output` is full or this part is done; false once it is done.
    func fill(_ output: inout ExportOutput) throws -> Bool
}

/// SQL shared by the producers that read a blog's posts, optionally one post only.
enum ExportSQL {
    /// `AND p.id = ?4` when the export is about one post.
    static func postFilter(_ post: String?) -> String { post == nil ? "" : " AND p.id = ?4" }

    /// The blog's samples in the window [?2, ?3) as (t, `column`, views, gained_total), from
    /// rows and sealed blocks alike, unordered. A block holds one UTC day at most, so one that
    /// starts a day or more before the window ends before it.
    static func samples(columns column: String, post: String?) -> String {
        """
        SELECT s.t AS t, \(column), s.views AS views, s.gained_total AS gained_total
        FROM posts p JOIN samples s ON s.post_key = p.post_key
        WHERE p.blog_key = ?1\(postFilter(post)) AND s.t >= ?2 AND s.t < ?3
        UNION ALL
        SELECT r.t, \(column), r.views, r.gained_total
        FROM posts p JOIN sample_blocks b ON b.post_key = p.post_key AND b.t0 > ?2 - 86400 AND b.t0 < ?3
        JOIN bs_rows(b.data, b.t0) r
        WHERE p.blog_key = ?1\(postFilter(post)) AND r.t >= ?2 AND r.t < ?3
        """
    }

    /// Binds blog key, window start and end, and the post's id when there is one.
    static func bind(_ statement: Statement, blogKey: Int64, start: Int64, end: Int64, post: String?) {
        if let post {
            statement.bind(.integer(blogKey), .integer(start), .integer(end), .text(post))
        } else {
            statement.bind(.integer(blogKey), .integer(start), .integer(end))
        }
    }

    /// How many posts the export covers in this blog.
    static func postCount(_ db: Database, blogKey: Int64, post: String?) throws(SQLiteError) -> Int {
        let statement = try db.prepare("SELECT count(*) FROM posts p WHERE p.blog_key = ?1" + postFilter(post))
        bind(statement, blogKey: blogKey, start: 0, end: 0, post: post)
        defer { statement.reset() }
        return try statement.step() ? Int(statement.int64(0)) : 0
    }
}
