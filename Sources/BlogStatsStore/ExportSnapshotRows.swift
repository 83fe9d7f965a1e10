import BlogStatsSQLite

/// `kind=snapshots` for one blog: every snapshot's full state, rebuilt from change-only rows.
///
/// One ordered pass: the blog's snapshots in time order, the samples and names merged in by
/// time, window by window (see `ExportWindows`), while the current state of every post is kept
/// in memory, already encoded: memory grows with the number of posts, not with the history.
/// Rows of a snapshot come in the order of post ids (bytewise), so two stores holding the
/// same history export the same bytes.
final class ExportSnapshotRows: ExportProducer {
    private struct Post {
        /// The count, or -1 while the post is absent.
        var views: Int64 = -1
        /// `id,slug,` (CSV) or `,"id":…,"slug":…,"view_count":` (JSON): everything between blog and count.
        var head: [UInt8]
        /// `,title\r\n` or `,"title":…}\n`.
        var tail: [UInt8]
        /// The id cell, kept to rebuild `head` when the slug changes.
        let idCell: [UInt8]
    }

    private let format: ExportRowFormat
    private let blogCell: [UInt8]
    private let post: String?
    private let blogKey: Int64
    private var posts: [Post]
    /// Position in `posts` of each post key.
    private let index: [Int64: Int]
    private let windows: ExportWindows
    private let samples: Statement
    private let names: Statement
    private var window = ExportWindows.Window(start: 0, end: 0, snapshots: [])
    private var snapshotIndex = 0
    /// A statement stepped onto a row of a later snapshot waits there.
    private var samplePending = false
    private var samplesDone = true
    private var namePending = false
    private var namesDone = true
    /// While a snapshot is being written: its `time,blog,` prefix and the next post to write.
    private var prefix: [UInt8] = []
    private var cursor: Int? = nil

    init(
        db: Database, blogKey: Int64, blog: String, request: ExportRequest, format: ExportRowFormat, windowRows: Int64
    ) throws {
        self.format = format
        self.blogKey = blogKey
        post = request.post
        blogCell = format.cell(1, text: blog)
        let filter = ExportSQL.postFilter(request.post)
        let list = try db.prepare("SELECT p.post_key, p.id FROM posts p WHERE p.blog_key = ?1\(filter) ORDER BY p.id")
        ExportSQL.bind(list, blogKey: blogKey, start: 0, end: 0, post: request.post)
        var posts: [Post] = []
        var index: [Int64: Int] = [:]
        while try list.step() {
            var idCell: [UInt8] = []
            format.column(2, &idCell)
            format.text(list.text(1), &idCell)
            index[list.int64(0)] = posts.count
            let (head, tail) = Self.encode(format, idCell: idCell, slug: "", title: "")
            posts.append(Post(head: head, tail: tail, idCell: idCell))
        }
        list.reset()
        self.posts = posts
        self.index = index
        samples = try db.prepare(
            """
            SELECT t, post_key, views FROM (\(ExportSQL.samples(columns: "p.post_key", post: request.post)))
            ORDER BY t
            """)
        names = try db.prepare(
            """
            SELECT n.t, n.post_key, n.slug, n.title FROM posts p JOIN names n ON n.post_key = p.post_key
            WHERE p.blog_key = ?1\(filter) AND n.t >= ?2 AND n.t < ?3 ORDER BY n.t
            """)
        windows = try ExportWindows(
            db: db, blogKey: blogKey, postCount: posts.count, from: request.from, to: request.to,
            minimumRows: windowRows)
        if let from = request.from { try seed(db, before: from) }
    }

    /// The state just before the export's window: each post's last sample and name before it.
    private func seed(_ db: Database, before time: Int64) throws {
        let lookup = try SampleLookup(db)
        let name = try db.prepare(
            "SELECT slug, title FROM names WHERE post_key = ?1 AND t < ?2 ORDER BY t DESC LIMIT 1")
        for (key, position) in index {
            if let sample = try lookup.last(key, before: time) { posts[position].views = sample.views ?? -1 }
            if try name.bind(.integer(key), .integer(time)).step() {
                rename(position, slug: name.text(0), title: name.text(1))
            }
            name.reset()
        }
    }

    private func rename(_ position: Int, slug: String, title: String) {
        (posts[position].head, posts[position].tail) = Self.encode(
            format, idCell: posts[position].idCell, slug: slug, title: title)
    }

    /// A post's cells around its count: `head` from id to count, `tail` from title to row end.
    private static func encode(_ format: ExportRowFormat, idCell: [UInt8], slug: String, title: String)
        -> ([UInt8], [UInt8])
    {
        var head = idCell
        format.column(3, &head)
        format.text(slug, &head)
        format.column(4, &head)
        var tail: [UInt8] = []
        format.column(5, &tail)
        format.text(title, &tail)
        format.end(&tail)
        return (head, tail)
    }

    func fill(_ output: inout ExportOutput) throws -> Bool {
        while !output.isFull {
            if let start = cursor {
                var position = start
                while position < posts.count && !output.isFull {
                    let post = posts[position]
                    position += 1
                    guard post.views >= 0 else { continue }
                    output.bytes.append(contentsOf: prefix)
                    output.bytes.append(contentsOf: post.head)
                    format.integer(post.views, &output.bytes)
                    output.bytes.append(contentsOf: post.tail)
                    output.rows += 1
                }
                if position < posts.count {
                    cursor = position
                    return true
                }
                cursor = nil
                snapshotIndex += 1
            } else if snapshotIndex < window.snapshots.count {
                let time = window.snapshots[snapshotIndex]
                try applySamples(upTo: time)
                try applyNames(upTo: time)
                prefix = []
                format.column(0, &prefix)
                format.time(time, &prefix)
                prefix.append(contentsOf: blogCell)
                cursor = 0
            } else if let next = try windows.next() {
                window = next
                snapshotIndex = 0
                ExportSQL.bind(samples, blogKey: blogKey, start: next.start, end: next.end, post: post)
                ExportSQL.bind(names, blogKey: blogKey, start: next.start, end: next.end, post: post)
                (samplePending, samplesDone, namePending, namesDone) = (false, false, false, false)
            } else {
                return false
            }
        }
        return true
    }

    private func applySamples(upTo time: Int64) throws {
        while !samplesDone {
            if !samplePending {
                guard try samples.step() else {
                    samplesDone = true
                    samples.reset()
                    return
                }
            }
            guard samples.int64(0) <= time else {
                samplePending = true
                return
            }
            samplePending = false
            if let position = index[samples.int64(1)] { posts[position].views = samples.optionalInt64(2) ?? -1 }
        }
    }

    private func applyNames(upTo time: Int64) throws {
        while !namesDone {
            if !namePending {
                guard try names.step() else {
                    namesDone = true
                    names.reset()
                    return
                }
            }
            guard names.int64(0) <= time else {
                namePending = true
                return
            }
            namePending = false
            if let position = index[names.int64(1)] {
                rename(position, slug: names.text(2), title: names.text(3))
            }
        }
    }
}
