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
        // Timed by the shell that runs it: a test runner busy with other tests cannot add to it.
        let script =
            #"start=$(date +%s%N); "$@"; status=$?; echo "took $(( ($(date +%s%N) - start) / 1000000 )) ms" >&2; exit $status"#
        let result = try await Command.run(
            "/bin/bash",
            [
                "-c", script, "bash", BlogstatsBinary.path, "push", "--csv", file, "--to", hole.url, "--spool",
                directory.path("spool"),
            ] + timeouts, timeout: 40)
        #expect(result.status == 6, "\(result.summary)")
        #expect(result.stderr.contains(message), "\(result.stderr)")
        let took = result.stderr.split(separator: "\n").last.flatMap { line in
            line.hasPrefix("took ") ? Int(line.dropFirst(5).prefix { $0.isNumber }) : nil
        }
        // Well under the other, 30 s timeout; the margin is for fsyncs of the spool on a busy disk.
        #expect(took.map { $0 < 15_000 } == true, "\(result.stderr)")
        #expect(SpoolFiles(directory: directory.path("spool")).snapshots.count == 1)
    }
}
