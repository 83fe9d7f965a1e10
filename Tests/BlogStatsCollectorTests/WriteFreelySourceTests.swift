import BlogStatsCore
import Foundation
import Testing

/// `blogstats push --writefreely` against real SQLite files made with `sqlite3`, pushing to a
/// real `blogstats serve`.
@Suite struct WriteFreelySourceTests {
    static let trickyPosts: [WriteFreelyPost] = [
        WriteFreelyPost(id: "a1b2c3d4e5", slug: "hello-world", collection: 1, views: 1200, title: "Hello, world"),
        WriteFreelyPost(id: "quotes0001", slug: "quotes", collection: 1, views: 7, title: "He said \"hi\", then left"),
        WriteFreelyPost(
            id: "newline001", slug: "two-lines", collection: 1, views: 3, title: "Two\nlines and CRLF\r\nhere"),
        WriteFreelyPost(id: "spaces0001", slug: "spaces", collection: 1, views: 0, title: "  spaces around  "),
        WriteFreelyPost(id: "unicode001", slug: "unicode", collection: 2, views: 99, title: "Ünïcode — émoji 🎉, 日本語"),
        WriteFreelyPost(id: "nulltitle1", slug: "null", collection: 2, views: 5, title: "NULL"),
        WriteFreelyPost(id: "idtitle001", slug: "id", collection: 2, views: 1_099_511_627_776, title: "id"),
        WriteFreelyPost(id: "longimportid0016", slug: "imported", collection: 2, views: 4, title: "=1+2"),
        // Drafts: no slug, no collection; an unpublished post has title and content both ''.
        WriteFreelyPost(id: "draft00001", slug: nil, collection: nil, views: 2, title: "A draft, \"unfinished\""),
        WriteFreelyPost(id: "draft00002", slug: nil, collection: nil, views: 0, title: ""),
        // Anonymous post: no owner, no collection, no slug.
        WriteFreelyPost(id: "anon000001", slug: nil, collection: nil, owner: nil, views: 31, title: "Anonymous\tpost"),
    ]

    @Test func theSnapshotPushedEqualsWhatSQLiteReads() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts, bulk: 300)
        let receiver = try await Receiver(store: directory.path("store.db"))
        let result = try await Command.blogstats([
            "push", "--writefreely", database, "--to", receiver.url, "--spool", directory.path("spool"),
        ])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.isEmpty, "one-shot push is silent on success: \(result.stderr)")
        #expect(result.output.isEmpty)

        let expected = try PostValues.parse(try await WriteFreelyFixture.readWithSQLite(database))
        let stored = try PostValues.parse(try await receiver.latestPosts())
        #expect(expected.count == Self.trickyPosts.count + 300)
        #expect(stored.subtracting(expected).isEmpty, "stored but not in the database: \(stored.subtracting(expected))")
        #expect(expected.subtracting(stored).isEmpty, "in the database but not stored: \(expected.subtracting(stored))")
        // One snapshot per blog, all with the same capture time.
        let times = try await [
            receiver.captureTimes(blog: "notes"), receiver.captureTimes(blog: "travel"),
            receiver.captureTimes(blog: "_unfiled"),
        ]
        #expect(times.allSatisfy { $0.count == 1 && $0 == times[0] }, "\(times)")
    }

    @Test func theDryRunPrintsPerBlogWhatSQLiteReads() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts)
        let expected = try PostValues.parse(try await WriteFreelyFixture.readWithSQLite(database))
        for blog in ["notes", "travel", "_unfiled"] {
            let result = try await Command.blogstats(["push", "--writefreely", database, "--blog", blog, "--dry-run"])
            #expect(result.status == 0, "\(result.summary)")
            #expect(result.stderr.contains("?blog=\(blog) "), "\(result.stderr)")
            #expect(try PostValues.parse(result.output, blog: blog) == expected.filter { $0.blog == blog })
        }
    }

    @Test func leavesOutUnfiledPostsOnRequest() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts)
        let result = try await Command.blogstats(["push", "--writefreely", database, "--skip-unfiled", "--dry-run"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("?blog=notes "))
        #expect(result.stderr.contains("?blog=travel "))
        #expect(!result.stderr.contains("_unfiled"), "\(result.stderr)")
        #expect(!result.output.contains("draft00001"))
    }

    @Test func neverWritesToTheDatabase() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts)
        let before = try Data(contentsOf: URL(fileURLWithPath: database))
        let attributes = try FileManager.default.attributesOfItem(atPath: database)
        for _ in 0..<3 {
            let result = try await Command.blogstats(["push", "--writefreely", database, "--dry-run"])
            #expect(result.status == 0, "\(result.summary)")
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: database)) == before)
        let after = try FileManager.default.attributesOfItem(atPath: database)
        #expect(after[.modificationDate] as? Date == attributes[.modificationDate] as? Date)
        // No journal, no WAL: the journal mode is untouched.
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == ["writefreely.db"])
        #expect(try await Command.sqlite(database, "PRAGMA journal_mode;") == "delete\n")
    }

    @Test func aMissingDatabaseIsAClearErrorAndIsNotCreated() async throws {
        let directory = try TemporaryDirectory()
        let missing = directory.path("nope.db")
        let result = try await Command.blogstats(["push", "--writefreely", missing, "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no such file"), "\(result.stderr)")
        #expect(!FileManager.default.fileExists(atPath: missing))
    }

    @Test func aDatabaseThatIsNotWriteFreelysSaysWhatIsMissing() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("other.db")
        try await Command.sqlite(
            database,
            "CREATE TABLE posts (id TEXT, slug TEXT, title TEXT, collection_id INT); CREATE TABLE collections (id, alias);"
        )
        let result = try await Command.blogstats(["push", "--writefreely", database, "--dry-run"])
        #expect(result.status == 1)
        #expect(
            result.stderr.contains("table posts has no column view_count — is this a WriteFreely database?"),
            "\(result.stderr)")

        let empty = directory.path("empty.db")
        try await Command.sqlite(empty, "CREATE TABLE t (x);")
        let second = try await Command.blogstats(["push", "--writefreely", empty, "--dry-run"])
        #expect(second.stderr.contains("has no table posts — is this a WriteFreely database?"), "\(second.stderr)")

        let text = try directory.write(
            "notes.txt", "not a database at all, just text that is long enough to be read as a header")
        let third = try await Command.blogstats(["push", "--writefreely", text, "--dry-run"])
        #expect(third.status == 1)
        #expect(third.stderr.contains("is not an SQLite database"), "\(third.stderr)")
    }

    @Test func anUnknownBlogNamesTheBlogsThereAre() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts)
        let result = try await Command.blogstats(["push", "--writefreely", database, "--blog", "recipes", "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("no blog \"recipes\""), "\(result.stderr)")
        #expect(result.stderr.contains("notes, travel"), "\(result.stderr)")
    }

    @Test func readsInOneTransactionOrInPiecesAlike() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.trickyPosts, bulk: 1000)
        var outputs: [Set<PostValues>] = []
        for rows in ["0", "1", "7", "2000"] {
            let result = try await Command.blogstats([
                "push", "--writefreely", database, "--blog", "notes", "--rows-per-read", rows, "--dry-run", "--verbose",
            ])
            #expect(result.status == 0, "\(result.summary)")
            #expect(result.stderr.contains("read 504 posts in "), "\(result.stderr)")
            outputs.append(try PostValues.parse(result.output, blog: "notes"))
        }
        #expect(outputs.allSatisfy { $0 == outputs[0] })
        #expect(outputs[0].count == 504)
    }

    @Test func aGenuinelyDuplicatedIDIsAnErrorNamingIt() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        let twin = WriteFreelyPost(id: "twin000001", slug: "twin", collection: 1, views: 1, title: "Twin")
        try await WriteFreelyFixture.create(database, posts: [twin, twin])
        let result = try await Command.blogstats(["push", "--writefreely", database, "--dry-run"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("more than one row with id \"twin000001\""), "\(result.stderr)")
    }
}
