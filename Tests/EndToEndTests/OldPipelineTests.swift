import Foundation
import Testing

/// The old collector, unchanged: `sqlite3 … ".mode csv" ".header on" "select …" | curl …`
/// against a database shaped like WriteFreely's.
@Suite struct OldPipelineTests {
    static let posts: [WriteFreelyPost] = [
        WriteFreelyPost(
            id: "tkd8xq2m0a", slug: "hello-world", collectionID: 1, ownerID: 1, views: 120,
            title: "Hello, world", content: "First post."),
        WriteFreelyPost(
            id: "0012345678", slug: "she-said-hi", collectionID: 1, ownerID: 1, views: 75,
            title: #"She said "hi", then "bye""#, content: "Quotes."),
        WriteFreelyPost(
            id: "m9z3k1p7qw", slug: "multi-line", collectionID: 1, ownerID: 1, views: 40,
            title: "Line one\nLine two", content: "A title with a newline."),
        WriteFreelyPost(
            id: "e8moji0001", slug: "party", collectionID: 1, ownerID: 1, views: 33,
            title: "Party 🎉 time 👩‍💻", content: "Emoji."),
        WriteFreelyPost(
            id: "xss0000001", slug: "xss", collectionID: 1, ownerID: 1, views: 12,
            title: #"<script>alert("x")</script>"#, content: "HTML in a title."),
        WriteFreelyPost(
            id: "cjk0000001", slug: "ni-hao", collectionID: 2, ownerID: 1, views: 9,
            title: "你好，世界 — 日本語のタイトル", content: "CJK."),
        WriteFreelyPost(
            id: "draft00001", slug: nil, collectionID: nil, ownerID: 1, views: 2,
            title: "Draft, unfinished", content: "Not published yet."),
        WriteFreelyPost(
            id: "anon000001", slug: nil, collectionID: nil, ownerID: nil, views: 0,
            title: "", content: ""),
        WriteFreelyPost(
            id: "spaces0001", slug: "spaces", collectionID: 1, ownerID: 1, views: 1,
            title: "  leading and trailing  ", content: "Spaces."),
    ]

    /// The old collector's line, as it ran from cron.
    static func pipeline(database: String, url: String) -> String {
        """
        sqlite3 '\(database)' ".mode csv" ".header on" "select id, slug, view_count, title from posts order by view_count desc;" \
          | curl -s -S -w '\\n%{http_code}' -X POST -H "Content-Type: text/csv" -m 30 --data-binary @- '\(url)/stats'
        """
    }

    /// Runs the pipeline; returns the status and the JSON body.
    static func push(database: String, receiver: ReceiverProcess) async throws -> (Int, String, [String: Any]) {
        let result = try await Shell.bash(pipeline(database: database, url: receiver.url))
        #expect(result.status == 0, "\(result.summary)")
        let output = result.output
        let split = try #require(output.lastIndex(of: "\n"), "curl printed body and status: \(result.summary)")
        let body = Data(output[..<split].utf8)
        let status = Int(output[output.index(after: split)...]) ?? 0
        return (status, JSON.canonical(JSON.parse(body)), JSON.parse(body) as? [String: Any] ?? [:])
    }

    /// What sqlite3 itself reads from the blog's database, in the store's terms.
    static func sourceRows(_ database: String) async throws -> String {
        try await StoreFile(path: database).json(
            "SELECT id, coalesce(slug, '') AS slug, view_count AS views, title FROM posts ORDER BY id")
    }

    static let storedRows = """
        SELECT p.id, n.slug, s.views, n.title FROM posts p
          JOIN names n ON n.post_key = p.post_key AND n.t = (SELECT max(t) FROM names WHERE post_key = p.post_key)
          JOIN samples s ON s.post_key = p.post_key AND s.t = (SELECT max(t) FROM samples WHERE post_key = p.post_key)
          WHERE s.views IS NOT NULL ORDER BY p.id
        """

    @Test func oldPipelineStoresExactlyWhatSQLiteReadsThenOnlyTheChanges() async throws {
        let directory = try TemporaryDirectory()
        let blogDB = try await WriteFreelyDatabase.create(at: directory.path("writefreely.db"), posts: Self.posts)
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let store = receiver.store

        // First push: every post is new.
        let before = CaptureTime.now()
        let (status1, answer1, object1) = try await Self.push(database: blogDB.path, receiver: receiver)
        #expect(status1 == 200, "\(answer1)")
        let t1 = try #require(CaptureTime.parse(object1["captured_at"] as? String ?? ""), "\(answer1)")
        #expect(t1 >= before && t1 <= CaptureTime.now())
        #expect(
            answer1
                == JSON.canonical(
                    [
                        "blog": "default", "captured_at": CaptureTime.format(t1), "rows": 9, "changed": 0, "new": 9,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))

        let expectedFirst: [[String: Any]] = Self.posts.sorted { $0.id < $1.id }.map {
            ["id": $0.id, "slug": $0.slug ?? "", "views": $0.views, "title": $0.title]
        }
        expectSame(try await store.json(Self.storedRows), JSON.canonical(expectedFirst))
        expectSame(try await store.json(Self.storedRows), try await Self.sourceRows(blogDB.path))
        expectSame(try await store.json("SELECT blog_key, name FROM blogs"), #"[{"blog_key":1,"name":"default"}]"#)
        expectSame(try await store.json("SELECT count(*) AS n FROM samples WHERE t = \(t1)"), #"[{"n":9}]"#)
        expectSame(try await store.json("SELECT count(*) AS n FROM posts WHERE first_seen = \(t1)"), #"[{"n":9}]"#)
        // The first snapshot is the baseline: its views belong to no interval.
        expectSame(
            try await store.json("SELECT blog_key, t, rows, total_views, gained FROM snapshots"),
            JSON.canonical([
                ["blog_key": 1, "t": t1, "rows": 9, "total_views": 292, "gained": 0]
            ]))
        let accessLine = try await receiver.waitForLine(containing: "POST /stats")
        #expect(
            accessLine.map { $0.wholeMatch(of: /127\.0\.0\.1 POST \/stats 200 [0-9.]+ms rows=9 changed=9/) != nil }
                == true, "access log: \(receiver.log)")

        // The blog moves on: two counts grow, a slug is edited, a post is deleted, one is written.
        try await blogDB.execute(
            """
            UPDATE posts SET view_count = 131 WHERE id = 'tkd8xq2m0a';
            UPDATE posts SET view_count = 40 WHERE id = 'e8moji0001';
            UPDATE posts SET slug = 'two-lines' WHERE id = 'm9z3k1p7qw';
            DELETE FROM posts WHERE id = 'xss0000001';
            \(WriteFreelyDatabase.insert(WriteFreelyPost(
                id: "fresh00001", slug: "fresh", collectionID: 1, ownerID: 1, views: 1, title: "Fresh, \"new\"",
                content: "Just out.")))
            """)
        try await CaptureTime.waitUntilAfter(t1)
        let (status2, answer2, object2) = try await Self.push(database: blogDB.path, receiver: receiver)
        #expect(status2 == 200, "\(answer2)")
        let t2 = try #require(CaptureTime.parse(object2["captured_at"] as? String ?? ""), "\(answer2)")
        #expect(t2 > t1)
        #expect(
            answer2
                == JSON.canonical(
                    [
                        "blog": "default", "captured_at": CaptureTime.format(t2), "rows": 9, "changed": 2, "new": 1,
                        "removed": 1, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))

        // Change-only: samples at t2 for the two changed posts, the new one and the deleted one
        // (NULL); nothing for the six unchanged posts, including the one whose slug changed.
        expectSame(
            try await store.json(
                """
                SELECT p.id, s.views FROM samples s JOIN posts p USING(post_key) WHERE s.t = \(t2) ORDER BY p.id
                """),
            JSON.canonical(
                [
                    ["id": "e8moji0001", "views": 40], ["id": "fresh00001", "views": 1],
                    ["id": "tkd8xq2m0a", "views": 131], ["id": "xss0000001", "views": NSNull()],
                ] as [[String: Any]]))
        expectSame(
            try await store.json(
                """
                SELECT p.id, n.slug, n.title FROM names n JOIN posts p USING(post_key) WHERE n.t = \(t2) ORDER BY p.id
                """),
            JSON.canonical([
                ["id": "fresh00001", "slug": "fresh", "title": "Fresh, \"new\""],
                ["id": "m9z3k1p7qw", "slug": "two-lines", "title": "Line one\nLine two"],
            ]))
        expectSame(try await store.json("SELECT count(*) AS n FROM samples"), #"[{"n":13}]"#)
        expectSame(try await store.json("SELECT count(*) AS n FROM names"), #"[{"n":11}]"#)
        expectSame(
            try await store.json("SELECT p.id, p.first_seen FROM posts p WHERE id = 'fresh00001'"),
            JSON.canonical([["id": "fresh00001", "first_seen": t2]]))
        // The present posts read back exactly as sqlite3 reads the blog's database.
        expectSame(try await store.json(Self.storedRows), try await Self.sourceRows(blogDB.path))
        // Gained: 11 + 7 + 1 (a new post counts from zero); the deletion takes nothing away.
        expectSame(
            try await store.json("SELECT t, rows, total_views, gained FROM snapshots ORDER BY t"),
            JSON.canonical([
                ["t": t1, "rows": 9, "total_views": 292, "gained": 0],
                ["t": t2, "rows": 9, "total_views": 299, "gained": 19],
            ]))
    }
}
