import Foundation
import Testing

/// `--csv`, `--tsv` (mysql --batch) and `--sqlite … --query`: other blog engines and MySQL.
@Suite struct OtherSourcesTests {
    @Test func pushesCSVFromStdinAsSQLite3PrintsIt() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: WriteFreelySourceTests.trickyPosts)
        // The old cron pipeline's first half, unchanged: CRLF line ends, quoted titles.
        let csv = try await Command.sqlite(
            database, "SELECT id, slug, view_count, title FROM posts WHERE collection_id = 1;",
            arguments: ["-csv", "-header"])
        let receiver = try await Receiver(store: directory.path("store.db"))
        let result = try await Command.blogstats(
            ["push", "--csv", "-", "--blog", "notes", "--to", receiver.url, "--spool", directory.path("spool")],
            stdin: Data(csv.utf8))
        #expect(result.status == 0, "\(result.summary)")
        let stored = try PostValues.parse(try await receiver.latestPosts())
        #expect(stored == (try PostValues.parse(csv, blog: "notes")))
        #expect(stored.count == 4)
    }

    @Test func aMalformedCSVIsNeitherSentNorSpooled() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("bad.csv", "id,slug,view_count,title\na,s,1,T\nb,s,12a,T\n")
        let result = try await Command.blogstats([
            "push", "--csv", file, "--to", "http://127.0.0.1:1/stats", "--spool", directory.path("spool"),
        ])
        #expect(result.status == 1, "\(result.summary)")
        #expect(result.stderr.contains("view_count is not a number: \"12a\" (line 3, column 3)"), "\(result.stderr)")
        #expect(SpoolFiles(directory: directory.path("spool")).snapshots.isEmpty)
    }

    @Test func anEmptyInputIsAFailedProducerNotAnEmptyBlog() async throws {
        let directory = try TemporaryDirectory()
        let spool = directory.path("spool")
        for format in ["--csv", "--tsv"] {
            let result = try await Command.blogstats(
                ["push", format, "-", "--to", "http://127.0.0.1:1/stats", "--spool", spool], stdin: Data())
            #expect(result.status == 1, "\(result.summary)")
            #expect(result.stderr.contains("empty"), "\(result.stderr)")
        }
        #expect(SpoolFiles(directory: spool).snapshots.isEmpty)
        // A header alone is a blog without posts, and says so.
        let headerOnly = try await Command.blogstats(
            ["push", "--csv", "-", "--blog", "notes", "--dry-run"], stdin: Data("id,slug,view_count,title\r\n".utf8))
        #expect(headerOnly.status == 0, "\(headerOnly.summary)")
        #expect(headerOnly.stderr.contains("would POST 0 rows"), "\(headerOnly.stderr)")
    }

    @Test func readsMySQLBatchOutput() async throws {
        let directory = try TemporaryDirectory()
        // What `mysql --batch -e "select id, slug, view_count, title from posts"` prints.
        let tsv = "id\tslug\tview_count\ttitle\nabc\thello\t12\tTabs\\there, \"quotes\"\\nand lines\nxyz\tNULL\t0\t\n"
        let file = try directory.write("posts.tsv", tsv)
        let result = try await Command.blogstats(["push", "--tsv", file, "--dry-run"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(
            result.output
                == "id,slug,view_count,title\nabc,hello,12,\"Tabs\there, \"\"quotes\"\"\nand lines\"\nxyz,,0,\n")
        #expect(result.stderr.contains("would POST 2 rows to the receiver captured at"), "\(result.stderr)")
    }

    @Test func runsAQueryOnAnySQLiteDatabase() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: WriteFreelySourceTests.trickyPosts)
        // Four columns in order…
        let ordered = try await Command.blogstats([
            "push", "--sqlite", database, "--query",
            "SELECT id, slug, view_count, title FROM posts WHERE collection_id = 2",
            "--blog", "travel", "--dry-run",
        ])
        #expect(ordered.status == 0, "\(ordered.summary)")
        let expected = try PostValues.parse(try await WriteFreelyFixture.readWithSQLite(database)).filter {
            $0.blog == "travel"
        }
        #expect(try PostValues.parse(ordered.output, blog: "travel") == expected)
        // …or named, with a blog column: one snapshot per blog.
        let named = try await Command.blogstats([
            "push", "--sqlite", database, "--query",
            "SELECT c.alias AS blog, p.view_count AS view_count, p.id AS id FROM posts p JOIN collections c ON c.id = p.collection_id",
            "--dry-run",
        ])
        #expect(named.status == 0, "\(named.summary)")
        #expect(named.stderr.contains("would POST 4 rows to the receiver?blog=notes"), "\(named.stderr)")
        #expect(named.stderr.contains("would POST 4 rows to the receiver?blog=travel"), "\(named.stderr)")
        // A query that returns neither is refused with the rule.
        let wrong = try await Command.blogstats([
            "push", "--sqlite", database, "--query", "SELECT id, title FROM posts", "--dry-run",
        ])
        #expect(wrong.status == 1)
        #expect(wrong.stderr.contains("it must return id, slug, view_count, title"), "\(wrong.stderr)")
    }
}
