import BlogStatsCore
import Foundation

/// A post as the test writes it into a WriteFreely-shaped database.
struct WriteFreelyPost {
    var id: String
    var slug: String?
    /// `collections.id`; nil for drafts and anonymous posts.
    var collection: Int64?
    /// nil for anonymous posts.
    var owner: Int64? = 1
    var views: Int64
    var title: String
    var content = ""
}

/// A database with WriteFreely's SQLite tables (no primary key on `posts`), written with the
/// `sqlite3` CLI as the blog engine would leave it: rollback journal, the default.
enum WriteFreelyFixture {
    static let schema = """
        CREATE TABLE collections (
          id INTEGER PRIMARY KEY AUTOINCREMENT, alias char(100) DEFAULT NULL UNIQUE, title char(255) NOT NULL,
          description char(160) NOT NULL, style_sheet text, script text, format char(16) DEFAULT NULL,
          privacy tinyint(1) NOT NULL, owner_id int(6) NOT NULL, view_count int(6) NOT NULL);
        CREATE TABLE posts (
          id char(16) NOT NULL, slug varchar(100) DEFAULT NULL, modify_token char(32) DEFAULT NULL,
          text_appearance char(4) NOT NULL DEFAULT 'norm', language char(2) DEFAULT NULL, rtl tinyint(1) DEFAULT NULL,
          privacy tinyint(1) NOT NULL, owner_id int(6) DEFAULT NULL, collection_id int(6) DEFAULT NULL,
          pinned_position tinyint(1) DEFAULT NULL, created datetime NOT NULL, updated datetime NOT NULL,
          view_count int(6) NOT NULL, title char(160) NOT NULL, content text NOT NULL);
        INSERT INTO collections (id, alias, title, description, privacy, owner_id, view_count)
          VALUES (1, 'notes', 'Notes', '', 1, 1, 431), (2, 'travel', 'Travel, mostly', '', 0, 2, 12);

        """

    /// Creates the file with blogs `notes` (1) and `travel` (2), `posts`, and `bulk` generated
    /// posts (ids `bulk000001`…, alternately in both blogs) with `contentBytes` of text each.
    static func create(_ path: String, posts: [WriteFreelyPost], bulk: Int = 0, contentBytes: Int = 100) async throws {
        var sql = schema
        for post in posts { sql += insert(post) + "\n" }
        if bulk > 0 {
            sql += """
                WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < \(bulk))
                INSERT INTO posts (id, slug, privacy, owner_id, collection_id, created, updated, view_count, title, content)
                SELECT printf('bulk%06d', i), 'post-' || i, 0, 1, 1 + i % 2, '2024-01-01 00:00:00', '2024-01-01 00:00:00',
                  i * 7, 'Post number ' || i || ', "quoted"', printf('%.*c', \(contentBytes), 'x') FROM n;

                """
        }
        try await Command.sqlite(path, sql)
    }

    static func insert(_ post: WriteFreelyPost) -> String {
        let values = [
            literal(post.id), post.slug.map(literal) ?? "NULL", "0", post.owner.map(String.init) ?? "NULL",
            post.collection.map(String.init) ?? "NULL", "'2024-05-01 10:00:00'", "'2024-05-01 10:00:00'",
            String(post.views), literal(post.title), literal(post.content),
        ]
        return
            "INSERT INTO posts (id, slug, privacy, owner_id, collection_id, created, updated, view_count, title, content) VALUES (\(values.joined(separator: ", ")));"
    }

    /// An SQL literal; control characters go in as char(n) so no shell line handling touches them.
    static func literal(_ text: String) -> String {
        var parts: [String] = []
        var current = ""
        for scalar in text.unicodeScalars {
            if scalar.value < 0x20 {
                parts.append("'" + current + "'")
                parts.append("char(\(scalar.value))")
                current = ""
            } else if scalar == "'" {
                current += "''"
            } else {
                current.unicodeScalars.append(scalar)
            }
        }
        parts.append("'" + current + "'")
        return "(" + parts.joined(separator: " || ") + ")"
    }

    /// What `sqlite3` reads from the database: every post with its blog, as CSV.
    static func readWithSQLite(_ path: String) async throws -> String {
        try await Command.sqlite(
            path,
            """
            SELECT COALESCE(c.alias, '_unfiled') AS blog, p.id AS id, p.slug AS slug, p.view_count AS view_count, p.title AS title
            FROM posts p LEFT JOIN collections c ON c.id = p.collection_id;
            """, arguments: ["-csv", "-header"])
    }
}

/// One post's values, comparable across sources (blog, id, slug, views, title).
struct PostValues: Hashable, CustomStringConvertible {
    var blog: String
    var id: String
    var slug: String
    var views: Int64
    var title: String

    var description: String { "\(blog)/\(id) \(slug.debugDescription) \(views) \(title.debugDescription)" }

    /// Parses CSV (with a blog column, or `blog` for all rows) with the receiver's own parser.
    static func parse(_ csv: String, blog: String = "") throws -> Set<PostValues> {
        Set(
            try SnapshotCSV.parse(Array(csv.utf8)).map {
                PostValues(
                    blog: $0.blog.isEmpty ? blog : $0.blog, id: $0.id, slug: $0.slug, views: $0.views, title: $0.title)
            })
    }
}
