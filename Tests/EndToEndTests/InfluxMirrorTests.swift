import Foundation
import Testing

/// `blogstats serve --influx-url …` against a real influxd: snapshots pushed with curl, as the
/// old pipeline does, arrive in InfluxDB in the old stack's schema.
@Suite(.serialized) struct InfluxMirrorTests {
    static let header = "id,slug,view_count,title\r\n"

    /// Titles that break naive line protocol: commas, spaces, `=`, quotes, backslashes,
    /// newlines, Unicode; a draft without slug.
    static let hostile: [(id: String, slug: String, title: String, stored: String)] = [
        ("p1", "hello-world", "Hello, world", "Hello, world"),
        ("p2", "eq", "a=b c=d", "a=b c=d"),
        ("p3", "quotes", #"She said "hi""#, #"She said "hi""#),
        ("p4", "backslash", #"C:\new\folder, \, and \="#, #"C:\new\folder, \, and \="#),
        ("p5", "lines", "Line one\nLine two\r\nthree", "Line one Line two  three"),
        ("p6", "unicode", "Party 🎉 — 你好，世界", "Party 🎉 — 你好，世界"),
        ("p7", "", "Draft, unfinished", "Draft, unfinished"),
        ("p8", "trailing", #"ends in \"#, "ends in "),
    ]

    static func csv(_ rows: [(String, String, Int, String)]) -> String {
        header
            + rows.map { id, slug, views, title in
                "\(id),\(slug),\(views),\"\(title.replacingOccurrences(of: "\"", with: "\"\""))\"\r\n"
            }.joined()
    }

    /// A receiver mirroring into `db` of `influx`.
    static func receiver(
        _ influx: InfluxDaemon, db: String = "blog", in directory: TemporaryDirectory, extra: [String] = []
    ) async throws -> ReceiverProcess {
        try await ReceiverProcess(
            in: directory, arguments: ["--influx-url", influx.url, "--influx-db", db] + extra)
    }

    /// The mirror's part of /healthz.
    static func mirror(_ receiver: ReceiverProcess) async throws -> JSONValue {
        let answer = try await Curl.request(receiver.url("/healthz"))
        guard let influx = try JSONValue.parse(Array(answer.body))["influx"] else {
            throw TestFailure("no influx in /healthz: \(answer.text)")
        }
        return influx
    }

    /// Waits until the outbox is empty (everything sent or parked).
    static func waitForDrain(_ receiver: ReceiverProcess, timeout: Double = 60) async throws -> JSONValue {
        let deadline = ContinuousClock.now + .seconds(timeout)
        while true {
            let status = try await mirror(receiver)
            if status["pending_snapshots"]?.integer == 0 { return status }
            guard ContinuousClock.now < deadline else {
                throw TestFailure("the outbox did not drain within \(timeout) s: \(status)\n\(receiver.log)")
            }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func push(_ receiver: ReceiverProcess, _ body: String, at time: Int64?, blog: String? = nil) async throws {
        let answer = try await Curl.push(
            receiver.url("/stats" + (blog.map { "?blog=\($0)" } ?? "")), body,
            headers: time.map { [CaptureTime.header($0)] } ?? [])
        guard answer.status == 200 else { throw TestFailure("push: \(answer.status) \(answer.text)") }
    }

    /// A minute-aligned time a few minutes back (explicit capture times must not be in the future).
    static func recentMinute(back minutes: Int64) -> Int64 {
        let now = CaptureTime.now()
        return now - now % 60 - minutes * 60
    }

    @Test func hostileTitlesArriveIntactAndOtherBlogsAreTagged() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, in: directory)
        let time = Self.recentMinute(back: 5)
        let rows = Self.hostile.enumerated().map { ($1.id, $1.slug, 10 + $0, $1.title) }
        try await Self.push(receiver, Self.csv(rows), at: time)
        try await Self.push(receiver, Self.csv([("t1", "trip", 3, "Trip, day 1")]), at: time, blog: "travel")
        let status = try await Self.waitForDrain(receiver)
        #expect(status["points_written"]?.integer == Int64(Self.hostile.count + 1))
        // /healthz with the mirror's part is what the OpenAPI document says.
        let contract = try OpenAPIContract(try await Curl.request(receiver.url("/api/v1/openapi.json")))
        #expect(contract.check(try await Curl.request(receiver.url("/healthz")), "GET", "/healthz") == [])

        let points = try await influx.series(
            db: "blog", q: #"SELECT "blog", "id", "slug", "title", "value" FROM "blog_stats""#)
        let values = try #require(points[""], "\(points)")
        let found = Set(values.map { "\($0.dropFirst().map(\.description).joined(separator: "|"))" })
        var expected = Set(
            Self.hostile.enumerated().map { index, post in
                [
                    "null", JSONValue.quoted(post.id), post.slug.isEmpty ? "null" : JSONValue.quoted(post.slug),
                    JSONValue.quoted(post.stored), String(10 + index),
                ].joined(separator: "|")
            })
        expected.insert(#""travel"|"t1"|"trip"|"Trip, day 1"|3"#)
        #expect(found == expected)
        #expect(values.allSatisfy { $0.first?.integer == time })
        try await receiver.terminate()
        try await influx.stop()
    }

    /// The two panels Grafana users have, with $timeFilter spelled out: the cumulative count
    /// per minute and the views per minute.
    @Test func grafanaQueriesGiveTheExpectedNumbers() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, in: directory)
        let start = Self.recentMinute(back: 10)
        let history: [[(String, String, Int, String)]] = [
            [("a", "alpha", 100, "Alpha"), ("b", "beta", 5, "Beta")],
            [("a", "alpha", 110, "Alpha"), ("b", "beta", 5, "Beta")],
            [("a", "alpha", 110, "Alpha"), ("b", "beta", 9, "Beta")],
            [("a", "alpha", 135, "Alpha"), ("b", "beta", 12, "Beta")],
        ]
        for (minute, rows) in history.enumerated() {
            try await Self.push(receiver, Self.csv(rows), at: start + Int64(minute) * 60)
        }
        _ = try await Self.waitForDrain(receiver)
        let filter = "time >= \(start)s AND time < \(start + 240)s"
        let cumulative = try await influx.series(
            db: "blog", q: #"SELECT last("value") FROM "blog_stats" WHERE \#(filter) GROUP BY time(1m), "slug""#)
        #expect(
            cumulative["slug=alpha"]?.map { $0[1] } == [.integer(100), .integer(110), .integer(110), .integer(135)])
        #expect(cumulative["slug=beta"]?.map { $0[1] } == [.integer(5), .integer(5), .integer(9), .integer(12)])
        #expect(cumulative["slug=alpha"]?.map { $0[0] } == (0..<4).map { .integer(start + $0 * 60) })
        let perMinute = try await influx.series(
            db: "blog",
            q:
                #"SELECT non_negative_difference(last("value")) FROM "blog_stats" WHERE \#(filter) GROUP BY time(1m), "slug""#
        )
        #expect(perMinute["slug=alpha"]?.map { $0[1] } == [.integer(10), .integer(0), .integer(25)])
        #expect(perMinute["slug=beta"]?.map { $0[1] } == [.integer(0), .integer(4), .integer(3)])
        try await receiver.terminate()
        try await influx.stop()
    }

    /// Changed mode writes only the rows whose count (or name) changed; the first snapshot whole.
    @Test func changedModeWritesOnlyChanges() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, in: directory, extra: ["--influx-mode", "changed"])
        let start = Self.recentMinute(back: 10)
        try await Self.push(
            receiver, Self.csv([("a", "a", 1, "A"), ("b", "b", 1, "B"), ("c", "c", 1, "C")]), at: start)
        try await Self.push(
            receiver, Self.csv([("a", "a", 2, "A"), ("b", "b", 1, "B"), ("c", "c", 1, "C")]), at: start + 60)
        try await Self.push(
            receiver, Self.csv([("a", "a", 2, "A"), ("b", "b", 1, "B2"), ("c", "c", 1, "C")]), at: start + 120)
        let status = try await Self.waitForDrain(receiver)
        #expect(status["points_written"]?.integer == 5)
        let counts = try await influx.series(
            db: "blog", q: #"SELECT count("value") FROM "blog_stats" GROUP BY "id""#)
        #expect(counts["id=a"]?.first?[1] == .integer(2))
        #expect(counts["id=b"]?.first?[1] == .integer(2))
        #expect(counts["id=c"]?.first?[1] == .integer(1))
        try await receiver.terminate()
        try await influx.stop()
    }

    /// InfluxDB down for a while (and the receiver restarted meanwhile): ingestion goes on,
    /// the outbox grows, and once InfluxDB is back every point arrives exactly once. Small
    /// batches: snapshots span several requests, sent two at a time.
    @Test func anOutageLosesNothing() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, in: directory, extra: ["--influx-batch", "7"])
        let start = Self.recentMinute(back: 20)
        func rows(_ minute: Int) -> [(String, String, Int, String)] {
            (0..<50).map { ("p\($0)", "post-\($0)", 100 * $0 + minute * ($0 % 3), "Post \($0), part \(minute)") }
        }
        try await Self.push(receiver, Self.csv(rows(0)), at: start)
        _ = try await Self.waitForDrain(receiver)

        try await influx.stop()
        for minute in 1...4 { try await Self.push(receiver, Self.csv(rows(minute)), at: start + Int64(minute) * 60) }
        // SIGTERM while InfluxDB is down must not hang; the outbox outlives the process.
        let exit = try await receiver.terminate(timeout: 15)
        #expect(exit.status == 0)
        try await receiver.restart()
        for minute in 5...7 { try await Self.push(receiver, Self.csv(rows(minute)), at: start + Int64(minute) * 60) }
        let waiting = try await Self.mirror(receiver)
        #expect(waiting["pending_snapshots"]?.integer == 7)
        #expect(waiting["pending_rows"]?.integer == 350)
        #expect(
            try await receiver.waitForLine(containing: "influx: cannot write", timeout: 20) != nil, "\(receiver.log)")

        try await influx.start()
        let status = try await Self.waitForDrain(receiver, timeout: 120)
        #expect(status["parked"]?.integer == 0)
        #expect(try await receiver.waitForLine(containing: "influx: writing again", timeout: 20) != nil)
        let counts = try await influx.series(
            db: "blog", q: #"SELECT count("value") FROM "blog_stats" GROUP BY "id""#)
        #expect(counts.count == 50)
        #expect(counts.values.allSatisfy { $0.first?[1] == .integer(8) }, "\(counts)")
        let perTime = try await influx.series(
            db: "blog",
            q:
                #"SELECT count("value") FROM "blog_stats" WHERE time >= \#(start)s AND time < \#(start + 480)s GROUP BY time(1m)"#
        )
        #expect(perTime[""]?.map { $0[1] } == Array(repeating: .integer(50), count: 8))
        // Titles changed every minute: each (series, time) holds its own snapshot's value.
        let p4 = try await influx.series(
            db: "blog", q: #"SELECT "value", "title" FROM "blog_stats" WHERE "id" = 'p4'"#)
        #expect(p4[""]?.map { $0[1] } == (0...7).map { .integer(400 + Int64($0)) })
        try await receiver.terminate()
        try await influx.stop()
    }

    /// Eight requests in flight, seven points each, and the next snapshots read while earlier
    /// ones are sent: a backlog and snapshots pushed while it drains all arrive, every point
    /// exactly once with its own snapshot's value (no request of an older snapshot lands on a
    /// newer time), posts absent from a snapshot have no point there.
    @Test func manyRequestsInFlightDeliverEveryPointOnce() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(
            influx, in: directory, extra: ["--influx-batch", "7", "--influx-requests", "8"])
        let start = Self.recentMinute(back: 30)
        // Post n is absent from minutes where (n + minute) % 11 == 0; titles change every 3 minutes.
        func present(_ post: Int, _ minute: Int) -> Bool { (post + minute) % 11 != 0 }
        func views(_ post: Int, _ minute: Int) -> Int { 1000 * post + minute * minute + post % 5 }
        func rows(_ minute: Int) -> [(String, String, Int, String)] {
            (0..<60).filter { present($0, minute) }.map {
                ("p\($0)", "post-\($0)", views($0, minute), "Post \($0), v\(minute / 3)")
            }
        }
        try await influx.stop()
        for minute in 0..<8 { try await Self.push(receiver, Self.csv(rows(minute)), at: start + Int64(minute) * 60) }
        try await influx.start()
        for minute in 8..<14 { try await Self.push(receiver, Self.csv(rows(minute)), at: start + Int64(minute) * 60) }
        let status = try await Self.waitForDrain(receiver, timeout: 120)
        #expect(status["parked"]?.integer == 0)
        let expected = (0..<14).reduce(0) { total, minute in total + (0..<60).filter { present($0, minute) }.count }
        // Sent once each: no snapshot read again while its requests were in flight.
        #expect(status["points_written"]?.integer == Int64(expected))
        let points = try await influx.series(
            db: "blog", q: #"SELECT "value" FROM "blog_stats" GROUP BY "id""#)
        #expect(points.values.reduce(0) { $0 + $1.count } == expected)
        for post in 0..<60 {
            let want = (0..<14).filter { present(post, $0) }.map { JSONValue.integer(Int64(views(post, $0))) }
            #expect(points["id=p\(post)"]?.map { $0[1] } == want, "p\(post)")
        }
        try await receiver.terminate()
        try await influx.stop()
    }

    /// A point InfluxDB refuses for good (here a field type conflict in an older shard) parks
    /// its snapshot, visible in /healthz and the log, and later snapshots still arrive.
    @Test func aRefusedSnapshotIsParkedAndDoesNotBlockLaterOnes() async throws {
        let influx = try await InfluxDaemon()
        try await influx.createDatabase("blog")
        let old = Self.recentMinute(back: 8 * 1440)
        // `value` as a float in the shard of 8 days ago: integers there are a type conflict.
        let float = try await influx.write(db: "blog", "blog_stats,id=zz value=1.5 \(old - 60)\n")
        #expect(float.status == 204)
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, in: directory)
        try await Self.push(receiver, Self.csv([("a", "a", 1, "A"), ("b", "b", 2, "B")]), at: old)
        let recent = Self.recentMinute(back: 2)
        try await Self.push(receiver, Self.csv([("a", "a", 3, "A"), ("b", "b", 4, "B")]), at: recent)
        let status = try await Self.waitForDrain(receiver)
        #expect(status["parked"]?.integer == 1)
        let line = try await receiver.waitForLine(containing: "parked", timeout: 10)
        #expect(line?.contains("field type conflict") == true, "\(receiver.log)")
        #expect(line?.contains("blog_stats,id=") == true)
        let points = try await influx.series(
            db: "blog", q: #"SELECT "value" FROM "blog_stats" WHERE time > \#(old)s GROUP BY "id""#)
        #expect(points["id=a"]?.map { $0[1] } == [.integer(3)])
        #expect(points["id=b"]?.map { $0[1] } == [.integer(4)])
        // Parked, not retried: the next snapshot goes through at once.
        try await Self.push(receiver, Self.csv([("a", "a", 5, "A"), ("b", "b", 6, "B")]), at: recent + 60)
        #expect(try await Self.waitForDrain(receiver)["parked"]?.integer == 1)
        try await receiver.terminate()
        try await influx.stop()
    }

    /// A database that does not exist (404) is an operator's mistake: logged clearly, retried
    /// with backoff, delivered once the database is there.
    @Test func aMissingDatabaseIsRetriedUntilItExists() async throws {
        let influx = try await InfluxDaemon()
        let directory = try TemporaryDirectory()
        let receiver = try await Self.receiver(influx, db: "later", in: directory)
        try await Self.push(receiver, Self.csv([("a", "a", 7, "A")]), at: Self.recentMinute(back: 1))
        let line = try await receiver.waitForLine(containing: "HTTP 404", timeout: 20)
        #expect(line?.contains("database not found") == true, "\(receiver.log)")
        #expect(try await Self.mirror(receiver)["pending_snapshots"]?.integer == 1)
        try await influx.createDatabase("later")
        let status = try await Self.waitForDrain(receiver, timeout: 60)
        #expect(status["parked"]?.integer == 0 && status["points_written"]?.integer == 1)
        try await receiver.terminate()
        try await influx.stop()
    }
}
