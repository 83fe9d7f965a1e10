import Foundation
import Testing

/// Two overlapping runs (a slow cron run and the next one): only one sends.
@Suite struct LockTests {
    @Test func aSecondConcurrentRunDoesNotSendAndSpoolsItsSnapshotForTheFirst() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(
            database, posts: [WriteFreelyPost(id: "post000001", slug: "one", collection: 1, views: 10, title: "One")])
        let spool = SpoolFiles(directory: directory.path("spool"))
        let hole = try BlackHole()
        let start = nowSeconds() - 300
        func arguments(_ to: String, _ second: Int64, timeout: String = "2s") -> [String] {
            [
                "push", "--writefreely", database, "--blog", "notes", "--to", to, "--spool", spool.directory,
                "--captured-at", rfc3339(start + second), "--connect-timeout", timeout, "--timeout", timeout,
            ]
        }

        // The first run hangs on a receiver that never answers, holding the spool's lock, long
        // enough for the second run to start even on a busy machine.
        let first = try Command.start(BlogstatsBinary.path, arguments(hole.url, 0, timeout: "8s"))
        let deadline = ContinuousClock.now + .seconds(10)
        while hole.connections == 0 && ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(5)) }
        #expect(hole.connections == 1)

        let second = try await Command.blogstats(arguments(hole.url, 1))
        #expect(second.status == 5, "\(second.summary)")
        #expect(
            second.stderr.contains("another blogstats push (pid \(first.pid)) is delivering from"), "\(second.stderr)")
        #expect(hole.connections == 1, "the second run must not send")

        let firstResult = try await first.waitForExit()
        #expect(firstResult.status == 6, "\(firstResult.summary)")
        #expect(hole.connections == 1)
        // Both snapshots wait in the spool; the next run with a working receiver delivers them.
        #expect(spool.snapshots == ([0, 1] as [Int64]).map { "\(SpoolEntryName.time(start + $0)).notes.csv.gz" })
        let receiver = try await Receiver(store: directory.path("store.db"))
        let third = try await Command.blogstats(arguments(receiver.url, 2))
        #expect(third.status == 0, "\(third.summary)")
        #expect(try await receiver.captureTimes(blog: "notes") == [start, start + 1, start + 2])
    }
}
