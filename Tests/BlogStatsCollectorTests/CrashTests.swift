import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `kill -9` while a snapshot is being written to the spool never leaves a file that replay
/// would take for a snapshot but cannot read.
@Suite struct CrashTests {
    @Test func killingTheCollectorMidSpoolWriteLeavesNoCorruptSpoolFile() async throws {
        let directory = try TemporaryDirectory()
        let database = directory.path("writefreely.db")
        // Big enough that writing and syncing a spool file takes a few milliseconds.
        try await WriteFreelyFixture.create(database, posts: [], bulk: 80_000, contentBytes: 10)
        let spool = SpoolFiles(directory: directory.path("spool"))
        let start = nowSeconds() - 3600
        func collector(_ index: Int64) throws -> RunningCommand {
            try Command.start(
                BlogstatsBinary.path,
                [
                    "push", "--writefreely", database, "--skip-unfiled", "--to", "http://127.0.0.1:1/stats",
                    "--spool", spool.directory, "--captured-at", rfc3339(start + index),
                ])
        }
        var killedMidWrite = 0
        for index in Int64(1)...8 {
            let before = spool.files
            let run = try collector(index)
            // Watch the spool directory and kill the collector the moment a new file appears in
            // it (being written), or a little later (renamed, directory being synced).
            let delay = index % 2 == 0 ? 0 : UInt32.random(in: 0...3000)
            let deadline = ContinuousClock.now + .seconds(10)
            while run.process.isRunning && spool.files.isSubset(of: before) && ContinuousClock.now < deadline {
                usleep(50)
            }
            usleep(delay)
            if run.process.isRunning && kill(run.pid, SIGKILL) == 0 { killedMidWrite += 1 }
            _ = try await run.waitForExit()
        }
        #expect(killedMidWrite >= 4, "the test must really interrupt spool writes")
        let leftovers = spool.temporary.count
        // Every file named like a snapshot is a whole one: 40,000 rows.
        for name in spool.snapshots {
            #expect(try spool.rows(name).count == 40_000, "\(name)")
        }
        // The next run that holds the lock removes what the killed writers left behind.
        let next = try await collector(100).waitForExit()
        #expect(next.status == 6, "\(next.summary)")
        #expect(spool.temporary.isEmpty, "\(spool.temporary)")
        #expect(spool.snapshots.count >= 2)
        for name in spool.snapshots {
            #expect(try spool.rows(name).count == 40_000, "\(name)")
        }
        print(
            "kill -9: \(killedMidWrite) runs killed while writing the spool, \(leftovers) temporary file(s) left, \(spool.snapshots.count) whole snapshots"
        )
    }
}
