import Foundation
import Testing

/// A receiver that accepts and never answers costs one timeout, not a hung cron job.
@Suite struct TimeoutTests {
    @Test(arguments: [
        (["--connect-timeout", "1s", "--timeout", "30s"], "did not connect or answer within 1 s (--connect-timeout)"),
        (["--connect-timeout", "30s", "--timeout", "1s"], "within the total timeout of 1 s"),
    ])
    func bothTimeoutsEndAHungPushAndSpoolTheSnapshot(timeouts: [String], message: String) async throws {
        let directory = try TemporaryDirectory()
        let file = try directory.write("one.csv", "id,slug,view_count,title\na,s,1,T\n")
        let hole = try BlackHole()
        let clock = ContinuousClock()
        let started = clock.now
        let result = try await Command.blogstats(
            ["push", "--csv", file, "--to", hole.url, "--spool", directory.path("spool")] + timeouts, timeout: 20)
        let took = clock.now - started
        #expect(result.status == 6, "\(result.summary)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        // Well under the other, 30 s timeout; the margin is for fsyncs of the spool on a busy disk.
        #expect(took < .seconds(15), "\(took)")
        #expect(SpoolFiles(directory: directory.path("spool")).snapshots.count == 1)
    }
}
