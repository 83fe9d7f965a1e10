import BlogStatsCore
import Foundation
import Testing

/// The receiver goes away and comes back: nothing is lost, nothing is sent twice, and the
/// series has no gap.
@Suite struct OutageTests {
    static let posts = [
        WriteFreelyPost(id: "popular001", slug: "popular", collection: 1, views: 100, title: "Popular, \"very\""),
        WriteFreelyPost(id: "quiet00001", slug: "quiet", collection: 2, views: 3, title: "Quiet\nTwo lines"),
        WriteFreelyPost(id: "draft00001", slug: nil, collection: nil, views: 1, title: ""),
    ]

    @Test func snapshotsSpoolWhileTheReceiverIsDownAndReplayOnceInOrderWithTheirTimes() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.posts)
        let receiver = try await Receiver(store: directory.path("store.db"))
        let spool = SpoolFiles(directory: directory.path("spool"))
        let start = nowSeconds() - 900
        func push(_ minute: Int64, verbose: Bool = false) async throws -> CommandResult {
            // The popular post gains a view a minute: every snapshot differs from the last.
            try await Command.sqlite(database, "UPDATE posts SET view_count = \(100 + minute) WHERE id = 'popular001';")
            return try await Command.blogstats(
                [
                    "push", "--writefreely", database, "--to", receiver.url, "--spool", spool.directory,
                    "--captured-at", rfc3339(start + 60 * minute), "--connect-timeout", "2s",
                ] + (verbose ? ["--verbose"] : []))
        }

        #expect(try await push(0).status == 0)
        try await receiver.stop()
        for minute in Int64(1)...3 {
            let result = try await push(minute)
            #expect(result.status == 6, "\(result.summary)")
            #expect(result.stderr.contains("receiver unavailable"), "\(result.stderr)")
            #expect(result.stderr.contains("\(3 * minute) waiting in \(spool.directory)"), "\(result.stderr)")
        }
        // Three blogs a minute, three minutes; each file a whole snapshot named by time and blog.
        #expect(spool.snapshots.count == 9, "\(spool.snapshots)")
        for name in spool.snapshots {
            let rows = try spool.rows(name)
            #expect(rows.count == 1, "\(name)")
        }
        #expect(spool.snapshots.first == "\(SpoolEntryName.time(start + 60))._unfiled.csv.gz")

        try await receiver.restart()
        let back = try await push(4, verbose: true)
        #expect(back.status == 0, "\(back.summary)")
        let replays = back.stderr.split(separator: "\n").filter { $0.hasPrefix("replayed ") }
        #expect(replays.count == 9, "\(back.stderr)")
        #expect(!back.stderr.contains("\"duplicate\":true"), "each replay is stored once: \(back.stderr)")
        // Oldest first: the minute in each replay line never goes back.
        let replayedTimes = replays.compactMap { line in
            line.split(separator: " ").dropFirst(2).first.flatMap { Timestamp.parse(String($0)) }
        }
        #expect(replayedTimes == replayedTimes.sorted() && replayedTimes.count == 9, "\(replays)")
        #expect(spool.snapshots.isEmpty, "\(spool.snapshots)")
        #expect(spool.rejected.isEmpty, "\(spool.rejected)")

        // No gap: every capture time is there, for every blog; and the counts are the right ones.
        let times = (0...4).map { start + 60 * $0 }
        for blog in ["notes", "travel", "_unfiled"] {
            #expect(try await receiver.captureTimes(blog: blog) == times, "\(blog)")
        }
        let samples = try await Command.sqlite(
            receiver.store,
            "SELECT s.t, s.views FROM samples s JOIN posts p USING (post_key) WHERE p.id = 'popular001' ORDER BY s.t;")
        #expect(samples == times.enumerated().map { "\($1)|\(100 + $0)\n" }.joined())

        // Nothing left to replay: the next run only sends its own snapshot.
        let next = try await push(5, verbose: true)
        #expect(next.status == 0, "\(next.summary)")
        #expect(!next.stderr.contains("replayed"), "\(next.stderr)")
    }

    @Test func aFullSpoolFailsLoudlyAndKeepsWhatItHas() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.posts)
        let spool = SpoolFiles(directory: directory.path("spool"))
        let start = nowSeconds() - 600
        var results: [CommandResult] = []
        for minute in Int64(0)..<3 {
            results.append(
                try await Command.blogstats([
                    "push", "--writefreely", database, "--blog", "notes", "--to", "http://127.0.0.1:1/stats",
                    "--spool", spool.directory, "--spool-max", "2", "--captured-at", rfc3339(start + 60 * minute),
                ]))
        }
        #expect(results.map(\.status) == [6, 6, 4], "\(results.map(\.summary))")
        #expect(results[2].stderr.contains("spool full"), "\(results[2].stderr)")
        #expect(results[2].stderr.contains("was NOT kept"), "\(results[2].stderr)")
        #expect(spool.snapshots == ([0, 1] as [Int64]).map { "\(SpoolEntryName.time(start + 60 * $0)).notes.csv.gz" })
    }
}

/// The time part of a spool file name, as the spool writes it.
enum SpoolEntryName {
    static func time(_ seconds: Int64) -> String { Timestamp.format(seconds).filter { $0 != "-" && $0 != ":" } }
}
