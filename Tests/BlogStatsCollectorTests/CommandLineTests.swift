import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct CommandLineTests {
    @Test(arguments: [
        (["push", "--to", "http://127.0.0.1:1"], "say where the counters come from"),
        (["push", "--csv", "-", "--tsv", "-", "--dry-run"], "give one source, not --csv and --tsv"),
        (["push", "--writefreely", "x.db"], "--to URL is required"),
        (["push", "--writefreely", "x.db", "--to", "127.0.0.1:8080"], "is not an http:// or https:// URL"),
        (["push", "--sqlite", "x.db", "--dry-run"], "--sqlite needs --query"),
        (["push", "--writefreely", "x.db", "--to", "http://h", "--every", "0s"], "--every must be at least 1s"),
        (["push", "--writefreely", "x.db", "--blog", "no/slash", "--dry-run"], "--blog: blog name"),
        (["push", "--csv", "-", "--to", "http://h", "--every", "60s"], "--every cannot read stdin"),
        (["push", "--writefreely", "x.db", "--dry-run", "--captured-at", "yesterday"], "not an RFC 3339 time"),
    ])
    func mistakesAreUsageErrors(arguments: [String], message: String) async throws {
        let result = try await Command.blogstats(arguments)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
    }

    @Test func helpDocumentsTheExitCodesAndTheSpool() async throws {
        let result = try await Command.blogstats(["push", "--help"])
        #expect(result.status == 0)
        for text in [
            "exit codes: 0 delivered", "4 the spool is full", "5 another push holds", "~/.local/state/blogstats/spool",
            "/var/lib/blogstats/spool as root", "[env BLOGSTATS_TO]",
        ] {
            #expect(result.output.contains(text), "\(text)")
        }
        #expect(try await Command.blogstats(["--help"]).output.contains("push      read the blog's view counters"))
    }

    @Test func settingsComeFromTheEnvironmentToo() async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("one.csv", "id,slug,view_count,title\na,s,1,T\n")
        let result = try await Command.blogstats(
            ["push", "--dry-run"], environment: ["BLOGSTATS_CSV": file, "BLOGSTATS_BLOG": "notes"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("?blog=notes"), "\(result.stderr)")
    }

    @Test func everyKeepsGoingThroughAnOutageAndStopsOnSIGTERM() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(
            database, posts: [WriteFreelyPost(id: "post000001", slug: "one", collection: 1, views: 10, title: "One")])
        let spool = SpoolFiles(directory: directory.path("spool"))
        let daemon = try Command.start(
            BlogstatsBinary.path,
            [
                "push", "--writefreely", database, "--blog", "notes", "--to", "http://127.0.0.1:1/stats",
                "--spool", spool.directory, "--every", "1s",
            ])
        let deadline = ContinuousClock.now + .seconds(10)
        while spool.snapshots.count < 3 && ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
        #expect(daemon.process.isRunning, "it keeps running while the receiver is down: \(daemon.stderr)")
        kill(daemon.pid, SIGTERM)
        let result = try await daemon.waitForExit(timeout: 10)
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.stderr.contains("push every 1s"), "\(result.stderr)")
        #expect(result.stderr.hasSuffix("stopped\n"), "\(result.stderr)")
        // One snapshot per tick, on distinct seconds.
        let names = spool.snapshots
        #expect(names.count >= 3, "\(names)")
        #expect(Set(names).count == names.count)
    }
}
