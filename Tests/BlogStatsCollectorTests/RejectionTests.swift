import BlogStatsCore
import Foundation
import Testing

/// A snapshot the receiver refuses is not retried: it goes to `rejected/` with the
/// receiver's message, and the command says so and fails.
@Suite struct RejectionTests {
    static let posts = [WriteFreelyPost(id: "post000001", slug: "one", collection: 1, views: 10, title: "One")]

    @Test func a400GoesToRejectedWithTheMessageAndANonZeroExit() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.posts)
        let receiver = try await Receiver(store: directory.path("store.db"))
        let spool = SpoolFiles(directory: directory.path("spool"))
        // A capture time a day ahead: the receiver answers 400 (in the future).
        let future = nowSeconds() + 86_400
        let result = try await Command.blogstats([
            "push", "--writefreely", database, "--blog", "notes", "--to", receiver.url, "--spool", spool.directory,
            "--captured-at", rfc3339(future),
        ])
        #expect(result.status == 3, "\(result.summary)")
        #expect(
            result.stderr.contains("rejected by the receiver: HTTP 400: X-Blogstats-Captured-At"), "\(result.stderr)")
        #expect(result.stderr.contains("is in the future"), "\(result.stderr)")
        let name = "\(SpoolEntryName.time(future)).notes"
        #expect(spool.rejected == ["\(name).csv.gz", "\(name).error.txt"])
        #expect(spool.snapshots.isEmpty)
        #expect(try spool.rows("\(name).csv.gz", in: "rejected").map(\.id) == ["post000001"])
        let note = try String(contentsOfFile: spool.directory + "/rejected/\(name).error.txt", encoding: .utf8)
        #expect(
            note.contains("HTTP 400") && note.contains("is in the future") && note.contains(receiver.url), "\(note)")

        // Not retried: the next run does not send it again.
        let next = try await Command.blogstats([
            "push", "--writefreely", database, "--blog", "notes", "--to", receiver.url, "--spool", spool.directory,
            "--verbose",
        ])
        #expect(next.status == 0, "\(next.summary)")
        #expect(!next.stderr.contains("replayed"), "\(next.stderr)")
    }

    @Test func differentContentAtATimeAlreadyStoredIsAConflictAndRejected() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: Self.posts)
        let receiver = try await Receiver(store: directory.path("store.db"))
        let spool = directory.path("spool")
        let time = rfc3339(nowSeconds() - 120)
        let arguments = [
            "push", "--writefreely", database, "--blog", "notes", "--to", receiver.url, "--spool", spool,
            "--captured-at", time,
        ]
        #expect(try await Command.blogstats(arguments).status == 0)
        // The same snapshot again is a harmless duplicate…
        #expect(try await Command.blogstats(arguments).status == 0)
        // …a different one at the same time is not.
        try await Command.sqlite(database, "UPDATE posts SET view_count = 11;")
        let conflict = try await Command.blogstats(arguments)
        #expect(conflict.status == 3, "\(conflict.summary)")
        #expect(conflict.stderr.contains("HTTP 409"), "\(conflict.stderr)")
        #expect(SpoolFiles(directory: spool).rejected.count == 2)
    }
}
