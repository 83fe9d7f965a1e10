import Foundation
import Testing

/// WriteFreely drops a view when its UPDATE cannot get the write lock within 5 s: the
/// collector must never keep it waiting that long, however often it runs.
@Suite struct ConcurrentWriterTests {
    @Test func aWriterCountingViewsNeverSeesSQLiteBusyWhileTheCollectorRuns() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        try await WriteFreelyFixture.create(database, posts: [], bulk: 3000, contentBytes: 2500)
        let before = try await Command.sqlite(database, "SELECT sum(view_count) FROM posts;")
        let receiver = try await Receiver(store: directory.path("store.db"))
        let ids = (1...3000).filter { $0 % 97 == 0 }.map { String(format: "bulk%06d", $0) }

        let writer = try ViewCountWriter(database: database, ids: ids)
        let start = nowSeconds() - 600
        var runs: [CommandResult] = []
        for run in 0..<8 {
            // Capture times one second apart, so every run is a distinct snapshot for the receiver;
            // every third run reads the whole table in one transaction.
            runs.append(
                try await Command.blogstats([
                    "push", "--writefreely", database, "--to", receiver.url, "--spool", directory.path("spool"),
                    "--captured-at", rfc3339(start + Int64(run)), "--rows-per-read", run % 3 == 2 ? "0" : "500",
                    "--verbose",
                ]))
        }
        let during = writer.updatesIssued
        let (status, errors, updates) = try await writer.stop()

        for result in runs { #expect(result.status == 0, "\(result.summary)") }
        #expect(status == 0, "the writer failed: \(errors)")
        #expect(!errors.contains("locked") && !errors.contains("busy"), "\(errors)")
        #expect(errors.isEmpty, "\(errors)")
        #expect(during >= 20, "the writer must really run alongside the collector (it issued \(during) updates)")
        // Every view counted: none lost to a lock.
        let after = try await Command.sqlite(database, "SELECT sum(view_count) FROM posts;")
        #expect(
            Int(after.trimmingCharacters(in: .whitespacesAndNewlines))! == Int(
                before.trimmingCharacters(in: .whitespacesAndNewlines))! + updates)
        #expect(try await receiver.captureTimes(blog: "notes").count == 8)
    }
}
