import Foundation

/// A database shaped like WriteFreely's SQLite one (the real `posts` and `collections` columns),
/// written and changed with the `sqlite3` CLI, as the blog engine would leave it.
struct WriteFreelyDatabase {
    let path: String

    /// The tables as WriteFreely's SQLite schema declares them (no primary key on `posts`).
    static let schema = """
        CREATE TABLE collections (
          id INTEGER PRIMARY KEY AUTOINCREMENT,
          alias char(100) DEFAULT NULL UNIQUE,
          title char(255) NOT NULL,
          description char(160) NOT NULL,
          style_sheet text,
          script text,
          format char(16) DEFAULT NULL,
          privacy tinyint(1) NOT NULL,
          owner_id int(6) NOT NULL,
          view_count int(6) NOT NULL
        );
        CREATE TABLE posts (
          id char(16) NOT NULL,
          slug varchar(100) DEFAULT NULL,
          modify_token char(32) DEFAULT NULL,
          text_appearance char(4) NOT NULL DEFAULT 'norm',
          language char(2) DEFAULT NULL,
          rtl tinyint(1) DEFAULT NULL,
          privacy tinyint(1) NOT NULL,
          owner_id int(6) DEFAULT NULL,
          collection_id int(6) DEFAULT NULL,
          pinned_position tinyint(1) DEFAULT NULL,
          created datetime NOT NULL,
          updated datetime NOT NULL,
          view_count int(6) NOT NULL,
          title char(160) NOT NULL,
          content text NOT NULL
        );
        """

    /// Creates the file with two blogs (collections 1 and 2) and `posts`.
    static func create(at path: String, posts: [WriteFreelyPost]) async throws -> WriteFreelyDatabase {
        let database = WriteFreelyDatabase(path: path)
        var sql = schema + "\n"
        sql += """
            INSERT INTO collections (id, alias, title, description, privacy, owner_id, view_count)
              VALUES (1, 'notes', 'Notes', 'Things I noticed', 1, 1, 431),
                     (2, 'travel', 'Travel, mostly', '', 0, 1, 12);

            """
        for post in posts {
            sql += insert(post) + "\n"
        }
        try await database.execute(sql)
        return database
    }

    static func insert(_ post: WriteFreelyPost) -> String {
        let values: [String] = [
            literal(post.id), post.slug.map(literal) ?? "NULL", "NULL", "'norm'", "'en'", "0", "1",
            post.ownerID.map(String.init) ?? "NULL", post.collectionID.map(String.init) ?? "NULL", "NULL",
            literal(post.created), literal(post.created), String(post.views), literal(post.title),
            literal(post.content),
        ]
        return """
            INSERT INTO posts (id, slug, modify_token, text_appearance, language, rtl, privacy, owner_id, \
            collection_id, pinned_position, created, updated, view_count, title, content) VALUES (\
            \(values.joined(separator: ", ")));
            """
    }

    /// An SQL string literal; newlines and any other character stand as they are.
    static func literal(_ text: String) -> String {
        "'" + text.split(separator: "'", omittingEmptySubsequences: false).joined(separator: "''") + "'"
    }

    /// Runs SQL statements with the `sqlite3` CLI (fed on stdin, so any text is safe).
    func execute(_ sql: String) async throws {
        let result = try await Shell.run("sqlite3", ["-bail", path], input: Data(sql.utf8), timeout: 30)
        guard result.status == 0, result.errorOutput.isEmpty else {
            throw TestFailure("sqlite3 \(path) failed: \(result.summary)")
        }
    }
}
