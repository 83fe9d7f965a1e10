import Foundation
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// `blogstats import influx` against a real influxd filled the way the old receiver filled it.
@Suite(.serialized, .enabled(if: InfluxDaemon.isInstalled, "influxd is not installed (apt-get install influxdb)"))
struct InfluxImportTests {
    static let base: Int64 = 1_760_000_000

    /// influxd with database `blog` holding `history`.
    static func influx(with history: OldReceiverHistory, withoutID: Bool = false) async throws -> InfluxDaemon {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let lines = history.lines(withoutID: withoutID)
        for start in stride(from: 0, to: lines.count, by: 20_000) {
            try await influx.write(db: "blog", lines: Array(lines[start..<min(start + 20_000, lines.count)]))
        }
        return influx
    }

    static func importInflux(_ influx: InfluxDaemon, store: String, _ extra: [String] = []) async throws
        -> CommandResult
    {
        try await Shell.run(
            BlogstatsBinary.path,
            ["import", "influx", "--url", influx.url, "--db", "blog", "--data", store] + extra, timeout: 300)
    }

    /// Every row of every snapshot of the store, as `blogstats export --format json` prints them.
    static func exported(_ store: String) async throws -> [[String: Any]] {
        let result = try await Shell.run(BlogstatsBinary.path, ["export", "--data", store, "--format", "json"])
        guard result.status == 0 else { throw TestFailure("export failed: \(result.summary)") }
        return result.output.split(separator: "\n").compactMap { JSON.parse(Data($0.utf8)) as? [String: Any] }
    }

    @Test func importsTheOldReceiversHistoryOnceAndSkipsPointsWithoutId() async throws {
        let history = OldReceiverHistory.small(base: Self.base)
        let influx = try await Self.influx(with: history, withoutID: true)
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")

        let first = try await Self.importInflux(influx, store: store)
        #expect(first.status == 0, "\(first.summary)")
        #expect(first.errorOutput.contains("5 snapshots added"), "\(first.summary)")
        #expect(first.errorOutput.contains("1 skipped (1 without id, 0 bad value)"), "\(first.summary)")
        #expect(first.errorOutput.contains("slug=\"orphan\": no id tag"), "\(first.summary)")
        #expect(first.output.isEmpty)
        let expected = JSON.canonical(history.exportObjects())
        #expect(JSON.canonical(try await Self.exported(store)) == expected)
        let postCount = try await StoreFile(path: store).integer("SELECT count(*) FROM posts")
        #expect(postCount == 7)

        // Again: resumes after the last snapshot and adds nothing.
        let dump = try await StoreFile(path: store).dump()
        let second = try await Self.importInflux(influx, store: store)
        #expect(second.status == 0, "\(second.summary)")
        #expect(second.errorOutput.contains("resumed after"), "\(second.summary)")
        #expect(second.errorOutput.contains("0 snapshots added"), "\(second.summary)")
        #expect(try await StoreFile(path: store).dump() == dump)

        // A new range (no recorded progress) reads everything again: every snapshot is a duplicate.
        let again = try await Self.importInflux(influx, store: store, ["--from", "2020-01-01T00:00:00Z"])
        #expect(again.status == 0, "\(again.summary)")
        #expect(again.errorOutput.contains("0 snapshots added, 5 already stored, 0 conflicts"), "\(again.summary)")
        let importProgress = try await StoreFile(path: store).integer("SELECT count(*) FROM import_progress")
        #expect(importProgress == 2)
        #expect(JSON.canonical(try await Self.exported(store)) == expected)
    }

    @Test func anotherBlogAndADifferentSnapshotAtTheSameSecondIsAConflict() async throws {
        let history = OldReceiverHistory.small(base: Self.base)
        let influx = try await Self.influx(with: history)
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")
        // The store already holds something else at the second of the third snapshot.
        let third = history.snapshots[2].time / 1_000_000_000
        let csv = try directory.write("other.csv", "time,id,slug,view_count,title\n\(third),x,x,1,X\n")
        let seeded = try await Shell.run(
            BlogstatsBinary.path, ["import", "csv", csv, "--data", store, "--blog", "mine"])
        #expect(seeded.status == 0, "\(seeded.summary)")

        let result = try await Self.importInflux(influx, store: store, ["--blog", "mine"])
        #expect(result.status == 1, "\(result.summary)")
        #expect(
            result.errorOutput.contains(
                "conflict: blog mine already has a different snapshot at \(OldReceiverHistory.format(third))"),
            "\(result.summary)")
        #expect(result.errorOutput.contains("4 snapshots added, 0 already stored, 1 conflicts"), "\(result.summary)")
        let blogs = try await StoreFile(path: store).json("SELECT name FROM blogs")
        #expect(blogs == #"[{"name":"mine"}]"#)
    }

    @Test func historyOlderThanALiveStoreEndsAsIfItHadArrivedInOrder() async throws {
        let history = OldReceiverHistory.small(base: Self.base)
        let influx = try await Self.influx(with: history)
        let directory = try TemporaryDirectory()
        // The live store: one snapshot a day after the history, where some posts moved on.
        let live = try directory.write(
            "live.csv",
            "time,id,slug,view_count,title\n\(Self.base + 86_400),id0,renamed-slug,500,Live\n\(Self.base + 86_400),new,n,1,N\n"
        )
        let late = directory.path("late.db")
        let inOrder = directory.path("in-order.db")
        for (store, steps) in [(late, ["live", "influx"]), (inOrder, ["influx", "live"])] {
            for step in steps {
                let result =
                    step == "live"
                    ? try await Shell.run(BlogstatsBinary.path, ["import", "csv", live, "--data", store])
                    : try await Self.importInflux(influx, store: store)
                #expect(result.status == 0, "\(result.summary)")
            }
        }
        #expect(JSON.canonical(try await Self.exported(late)) == JSON.canonical(try await Self.exported(inOrder)))
        for query in [
            StoreFile.samplesByID, StoreFile.namesByID,
            "SELECT t, rows, total_views, gained, gained_total FROM snapshots ORDER BY t",
        ] {
            #expect(try await StoreFile(path: late).json(query) == (try await StoreFile(path: inOrder).json(query)))
        }
    }

    @Test func aBlogTagChoosesTheBlogAndOthersGoToTheGivenOne() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let time = Self.base * 1_000_000_000 + 5
        try await influx.write(
            db: "blog",
            lines: [
                "blog_stats,blog=one,id=a,slug=s value=1i \(time)", "blog_stats,blog=two,id=a,slug=s value=2i \(time)",
                "blog_stats,id=a,slug=s value=3i \(time)",
                "blog_stats,id=b,slug=s value=4i \(time + 120_000_000_000)",
            ])
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")
        let result = try await Self.importInflux(influx, store: store, ["--blog", "main"])
        #expect(result.status == 0, "\(result.summary)")
        #expect(result.errorOutput.contains("4 snapshots added"), "\(result.summary)")
        let snapshots = try await StoreFile(path: store).json(
            "SELECT b.name, s.t - \(Self.base) AS t, s.total_views FROM snapshots s JOIN blogs b USING (blog_key) ORDER BY 1, 2"
        )
        #expect(
            snapshots
                == #"[{"name":"main","t":0,"total_views":3},{"name":"main","t":120,"total_views":4},{"name":"one","t":0,"total_views":1},{"name":"two","t":0,"total_views":2}]"#
        )
    }

    @Test func aProgressBarOnATerminalOnlyAndNoStoreWhenInfluxDBHasNothing() async throws {
        let history = OldReceiverHistory.small(base: Self.base)
        let influx = try await Self.influx(with: history)
        let directory = try TemporaryDirectory()
        let store = directory.path("store.db")
        // `script` runs the import on a pseudo-terminal, as a person at a shell would.
        let command = [BlogstatsBinary.path, "import", "influx", "--url", influx.url, "--db", "blog", "--data", store]
            .map { "'\($0)'" }.joined(separator: " ")
        let onTerminal = try await Shell.run("script", ["-qec", command, "/dev/null"], timeout: 120)
        #expect(onTerminal.status == 0, "\(onTerminal.summary)")
        // A bar redrawn in place (at most ten times a second, so its last state varies), then removed.
        #expect(onTerminal.output.contains("\r\u{1B}[K[#"), "\(onTerminal.summary)")
        #expect(onTerminal.output.contains(" snapshots\r\u{1B}[Kblogstats import: done:"), "\(onTerminal.summary)")
        #expect(
            onTerminal.output.contains("done: \(history.pointCount) points, 5 snapshots added"), "\(onTerminal.summary)"
        )
        // Not on a terminal (every other test): the summary line alone.
        let quiet = try await Self.importInflux(influx, store: directory.path("other.db"))
        #expect(quiet.errorOutput.split(separator: "\n").count == 1, "\(quiet.summary)")

        for (extra, message) in [
            (["--db", "nope"], "InfluxDB: database not found: nope"),
            (["--db", "blog", "--measurement", "other"], "InfluxDB has no other points in database blog"),
        ] {
            let missing = directory.path("missing.db")
            let result = try await Shell.run(
                BlogstatsBinary.path, ["import", "influx", "--url", influx.url, "--data", missing] + extra)
            #expect(result.errorOutput.contains(message), "\(result.summary)")
            #expect(!FileManager.default.fileExists(atPath: missing))
        }
    }

    @Test func refusesAStoreARunningServerUses() async throws {
        let history = OldReceiverHistory.small(base: Self.base)
        let influx = try await Self.influx(with: history)
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let dump = try await receiver.store.dump()
        let result = try await Self.importInflux(influx, store: receiver.storePath)
        #expect(result.status == 1, "\(result.summary)")
        #expect(
            result.errorOutput.contains("is in use by another blogstats process (pid \(receiver.pid)"),
            "\(result.summary)")
        #expect(try await receiver.store.dump() == dump)
        try await receiver.terminate()
        // Once the server is gone, the import runs.
        let after = try await Self.importInflux(influx, store: receiver.storePath)
        #expect(after.status == 0, "\(after.summary)")
        // And a server does not start on a store an import (here: anyone) holds.
        let holder = Process()
        holder.executableURL = URL(fileURLWithPath: try Shell.executable("flock"))
        holder.arguments = [receiver.storePath + ".lock", "sleep", "60"]
        try holder.run()
        defer { kill(holder.processIdentifier, SIGKILL) }
        let deadline = ContinuousClock.now + .seconds(10)
        var refused: CommandResult? = nil
        while ContinuousClock.now < deadline {
            let attempt = try await Shell.run(
                BlogstatsBinary.path, ["serve", "--data", receiver.storePath, "--listen", "127.0.0.1:0"], timeout: 10)
            if attempt.errorOutput.contains("in use by another blogstats process") {
                refused = attempt
                break
            }
            try await Task.sleep(for: .milliseconds(100))
        }
        #expect(refused?.status == 1, "\(refused?.summary ?? "serve never refused")")
    }

    @Test func anInterruptedImportResumesToTheSameStore() async throws {
        let history = OldReceiverHistory.large(base: Self.base, posts: 150, count: 400)
        let influx = try await Self.influx(with: history)
        let directory = try TemporaryDirectory()
        let reference = directory.path("reference.db")
        let whole = try await Self.importInflux(influx, store: reference)
        #expect(whole.status == 0, "\(whole.summary)")
        #expect(whole.errorOutput.contains("\(history.pointCount) points, 400 snapshots added"), "\(whole.summary)")

        // kill -9 in the middle, then SIGINT in the middle of the re-run, then to the end.
        let store = directory.path("store.db")
        let killed = try await Self.interrupt(influx, store: store, signal: SIGKILL, after: 40)
        #expect(killed.signalled)
        let stopped = try await Self.interrupt(influx, store: store, signal: SIGINT, after: killed.snapshots + 40)
        #expect(stopped.status == 3, "\(stopped.stderr)")
        #expect(stopped.stderr.contains("interrupted (run again to resume)"), "\(stopped.stderr)")
        #expect(stopped.stderr.contains("resumed after"), "\(stopped.stderr)")
        let rest = try await Self.importInflux(influx, store: store)
        #expect(rest.status == 0, "\(rest.summary)")
        #expect(rest.errorOutput.contains("resumed after"), "\(rest.summary)")
        #expect(!rest.errorOutput.contains(" 400 snapshots added"), "\(rest.summary)")
        #expect(rest.errorOutput.contains("0 already stored"), "\(rest.summary)")

        #expect(try await StoreFile(path: store).integrityCheck() == "ok")
        let got = try await StoreFile(path: store).dump()
        let want = try await StoreFile(path: reference).dump()
        #expect(got == want)
    }

    /// Starts an import, sends `signal` once the store holds `after` snapshots, and waits for the end.
    static func interrupt(_ influx: InfluxDaemon, store: String, signal: Int32, after: Int) async throws
        -> (status: Int32, signalled: Bool, snapshots: Int, stderr: String)
    {
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: BlogstatsBinary.path)
        process.arguments = [
            "import", "influx", "--url", influx.url, "--db", "blog", "--data", store, "--page-size", "300",
        ]
        process.environment = Shell.childEnvironment([:])
        _ = FileManager.default.createFile(atPath: directory.path("stderr"), contents: nil)
        let errorHandle = try FileHandle(forWritingTo: URL(fileURLWithPath: directory.path("stderr")))
        defer { try? errorHandle.close() }
        process.standardError = errorHandle
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let file = StoreFile(path: store)
        let deadline = ContinuousClock.now + .seconds(120)
        var count = 0
        while ContinuousClock.now < deadline && process.isRunning {
            count = (try? await file.integer("SELECT count(*) FROM snapshots")) ?? 0
            if count >= after { break }
            try await Task.sleep(for: .milliseconds(20))
        }
        guard process.isRunning else {
            throw TestFailure("the import ended before it could be interrupted (at \(count) snapshots)")
        }
        kill(process.processIdentifier, signal)
        let end = ContinuousClock.now + .seconds(60)
        while process.isRunning && ContinuousClock.now < end { try await Task.sleep(for: .milliseconds(20)) }
        let stderr = String(decoding: directory.read("stderr") ?? Data(), as: UTF8.self)
        return (
            process.terminationStatus, process.terminationReason == .uncaughtSignal,
            try await file.integer("SELECT count(*) FROM snapshots"), stderr
        )
    }
}
