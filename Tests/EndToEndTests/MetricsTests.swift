import Foundation
import Testing

/// `GET /metrics` seen from outside: exact values and escaping, both formats, Prometheus's own
/// `promtool check metrics` on the real exposition, who may read it, and refused pushes counted.
@Suite struct MetricsTests {
    static let readToken = "metrics-read-token-0123456789"
    static let pushToken = "metrics-push-token-0123456789"
    static let remote = "X-Forwarded-For: 203.0.113.9"
    /// What Prometheus 2.42 sends.
    static let prometheusAccept =
        "Accept: application/openmetrics-text;version=1.0.0,application/openmetrics-text;version=0.0.1;q=0.75,"
        + "text/plain;version=0.0.4;q=0.5,*/*;q=0.1"

    /// Titles a blogger can write: quotes, backslashes, a line break (CR LF, as sqlite3 writes
    /// it), commas, braces, unicode.
    static let hostile = #"Say "hi" \ to C:\dir\"# + "\r\n" + #"second line {a="b"}, ok"#

    static func check(_ text: String) async throws -> CommandResult {
        try await Shell.run("promtool", ["check", "metrics"], input: Data(text.utf8))
    }

    @Test func everyPresentPostWithItsCountNameAndEscaping() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let first = CaptureTime.now() - 120
        let second = first + 60
        let one = CSVBody([
            ("a", "alpha", 5, Self.hostile), ("b", "", 7, "Ünïcode ✓ 日本 😀"), ("c", "gamma", 3, "Removed later"),
            (#"d"q\"#, "s,l", 1, "id with a quote and a backslash"),
        ])
        let two = CSVBody([
            ("a", "alpha-renamed", 9, Self.hostile), ("b", "", 7, "Ünïcode ✓ 日本 😀"),
            (#"d"q\"#, "s,l", 1, "id with a quote and a backslash"),
        ])
        for (body, time) in [(one, first), (two, second)] {
            let pushed = try await Curl.push(receiver.url("/stats"), body.text, headers: [CaptureTime.header(time)])
            try #require(pushed.status == 200, "\(pushed.summary)")
        }

        let text = try await Curl.request(receiver.url("/metrics"))
        #expect(text.status == 200, "\(text.summary)")
        #expect(text.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let lint = try await Self.check(text.text)
        #expect(lint.status == 0 && !lint.signalled, "promtool: \(lint.summary)\n\(text.text)")
        #expect(text.text.hasSuffix("\n") && !text.text.contains("# EOF"))
        let exposition = Exposition(text.text)

        // Removed post c is gone from both post families; a is shown with its new slug.
        let escapedTitle = #"Say \"hi\" \\ to C:\\dir\\"# + "\r" + #"\nsecond line {a=\"b\"}, ok"#
        #expect(
            exposition.samples(startingWith: "blogstats_post_views_total{") == [
                #"blogstats_post_views_total{blog="default",id="a",slug="alpha-renamed"}"#: "9",
                #"blogstats_post_views_total{blog="default",id="b",slug=""}"#: "7",
                #"blogstats_post_views_total{blog="default",id="d\"q\\",slug="s,l"}"#: "1",
            ])
        #expect(
            exposition.samples(startingWith: "blogstats_post_info{") == [
                #"blogstats_post_info{blog="default",id="a",slug="alpha-renamed",title=""# + escapedTitle + #""}"#:
                    "1",
                #"blogstats_post_info{blog="default",id="b",slug="",title="Ünïcode ✓ 日本 😀"}"#: "1",
                #"blogstats_post_info{blog="default",id="d\"q\\",slug="s,l",title="id with a quote and a backslash"}"#:
                    "1",
            ])
        // The blog's views keep the removed post's last count (9 + 7 + 1 + 3).
        #expect(exposition.samples[#"blogstats_blog_views_total{blog="default"}"#] == "20")
        #expect(exposition.samples[#"blogstats_blog_posts{blog="default"}"#] == "3")
        #expect(exposition.samples[#"blogstats_blog_last_snapshot_timestamp_seconds{blog="default"}"#] == "\(second)")
        #expect(exposition.samples["blogstats_snapshots_received_total"] == "2")
        #expect(exposition.samples["blogstats_ingest_rows_total"] == "7")
        #expect(exposition.samples["blogstats_ingest_duration_seconds_count"] == "2")
        #expect(exposition.samples[#"blogstats_ingest_duration_seconds_bucket{le="+Inf"}"#] == "2")
        #expect(exposition.samples(startingWith: "blogstats_snapshots_rejected_total{").values.allSatisfy { $0 == "0" })
        #expect(exposition.samples(startingWith: "blogstats_snapshots_rejected_total{").count == 8)
        let size = try #require(exposition.samples["blogstats_store_size_bytes"].flatMap { Int($0) })
        #expect(size >= (try FileManager.default.attributesOfItem(atPath: receiver.storePath)[.size] as? Int ?? .max))
        // No mirror configured: no outbox family rather than a misleading 0.
        #expect(!text.text.contains("blogstats_outbox_points"))
        #expect(exposition.types.contains("# TYPE blogstats_post_views_total counter"))
        #expect(exposition.types.contains("# TYPE blogstats_post_info gauge"))

        // OpenMetrics for a scraper that asks for it (Prometheus does): the same samples,
        // counters declared without _total, info as its own type, # EOF at the end.
        let open = try await Curl.request(receiver.url("/metrics"), headers: [Self.prometheusAccept])
        #expect(open.status == 200, "\(open.summary)")
        #expect(open.headers["content-type"] == "application/openmetrics-text; version=1.0.0; charset=utf-8")
        #expect(open.text.hasSuffix("\n# EOF\n"))
        let openExposition = Exposition(open.text)
        var same = openExposition.samples
        var expected = exposition.samples
        same["blogstats_store_size_bytes"] = nil
        expected["blogstats_store_size_bytes"] = nil
        #expect(same == expected)
        #expect(openExposition.types.contains("# TYPE blogstats_post_views counter"))
        #expect(openExposition.types.contains("# TYPE blogstats_post info"))
        #expect(openExposition.types.contains("# TYPE blogstats_snapshots_rejected counter"))
        #expect(open.text.contains("# UNIT blogstats_ingest_duration_seconds seconds\n"))
        #expect(!openExposition.types.contains { $0.contains("_total ") })

        // HEAD: the headers alone; other methods: 405.
        let head = try await Curl.request(receiver.url("/metrics"), method: "HEAD", arguments: ["-I"])
        // (curl -I writes the headers where the body would go.)
        #expect(head.status == 200 && !head.text.contains("blogstats_"), "\(head.summary)")
        #expect(head.headers["content-type"] == "text/plain; version=0.0.4; charset=utf-8")
        let post = try await Curl.request(receiver.url("/metrics"), method: "POST", body: Data("x".utf8))
        #expect(post.status == 405 && post.headers["allow"] == "GET, HEAD", "\(post.summary)")
    }

    @Test func aRestartedReceiverShowsTheStoredStateBeforeAnyPush() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let time = CaptureTime.now() - 60
        let body = CSVBody([("x", "ex", 40, "X"), ("y", "why", 2, "Y")])
        let pushed = try await Curl.push(
            receiver.url("/stats?blog=second"), body.text, headers: [CaptureTime.header(time)])
        try #require(pushed.status == 200, "\(pushed.summary)")
        try await receiver.terminate()
        try await receiver.restart()
        let answer = try await Curl.request(receiver.url("/metrics"))
        let exposition = Exposition(answer.text)
        #expect(
            exposition.samples(startingWith: "blogstats_post_views_total{") == [
                #"blogstats_post_views_total{blog="second",id="x",slug="ex"}"#: "40",
                #"blogstats_post_views_total{blog="second",id="y",slug="why"}"#: "2",
            ], "\(answer.text)")
        #expect(exposition.samples[#"blogstats_blog_last_snapshot_timestamp_seconds{blog="second"}"#] == "\(time)")
        // The counters are the process's own: they start again at 0.
        #expect(exposition.samples["blogstats_snapshots_received_total"] == "0")
    }

    @Test func readingNeedsTheReadCredentialUnlessOnLoopback() async throws {
        let directory = try TemporaryDirectory()
        let readFile = try directory.write("read.token", Self.readToken + "\n")
        let pushFile = try directory.write("push.token", Self.pushToken)
        let guarded = try await ReceiverProcess(
            in: directory, store: "guarded.db",
            arguments: ["--trust-proxy", "127.0.0.1/32", "--read-token-file", readFile, "--push-token-file", pushFile])
        let cases: [([String], Int, String)] = [
            ([], 200, "loopback reader of a loopback receiver"),
            ([Self.remote], 401, "remote, no token"),
            ([Self.remote, "Authorization: Bearer \(Self.pushToken)"], 401, "remote, a push token"),
            ([Self.remote, "Authorization: Bearer \(Self.readToken)x"], 401, "remote, a wrong token"),
            ([Self.remote, "Authorization: Bearer \(Self.readToken)"], 200, "remote, the read token"),
        ]
        let answers = try await CurlBatch.run(
            cases.map { CurlBatch.Request(url: guarded.url("/metrics"), headers: $0.0) })
        for ((_, status, why), answer) in zip(cases, answers) {
            #expect(answer.status == status, "\(why): \(answer.summary)")
            if status == 401 { #expect(answer.headers["www-authenticate"] == "Bearer", "\(why)") }
            if status == 200 { #expect(answer.text.contains("blogstats_snapshots_received_total"), "\(why)") }
        }

        // Without a read credential, remote readers are refused whatever they present.
        let open = try await ReceiverProcess(
            in: directory, store: "open.db", arguments: ["--trust-proxy", "127.0.0.1/32"])
        let refused = try await Curl.request(
            open.url("/metrics"), headers: [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        #expect(refused.status == 403 && refused.errorMessage.contains("--read-token-file"), "\(refused.summary)")
    }

    @Test func refusedPushesAreCountedByReason() async throws {
        let directory = try TemporaryDirectory()
        let tokenFile = try directory.write("push.token", Self.pushToken)
        let receiver = try await ReceiverProcess(
            in: directory,
            arguments: ["--push-token-file", tokenFile + ":default", "--max-body", "4096", "--busy-timeout", "1s"])
        let auth = "Authorization: Bearer \(Self.pushToken)"
        let time = CaptureTime.now() - 300
        let good = CSVBody([("a", "alpha", 1, "Alpha")]).text
        let url = receiver.url("/stats")
        var statuses: [Int] = []
        statuses.append(try await Curl.push(url, good, headers: [auth, CaptureTime.header(time)]).status)
        statuses.append(try await Curl.push(url, good, headers: [auth, CaptureTime.header(time)]).status)  // duplicate
        statuses.append(try await Curl.push(url, good, headers: ["Authorization: Bearer wrong"]).status)
        statuses.append(try await Curl.push(url, good).status)
        statuses.append(try await Curl.push(receiver.url("/stats?blog=other"), good, headers: [auth]).status)
        statuses.append(try await Curl.push(url, "id,view_count\r\na,12a\r\n", headers: [auth]).status)
        statuses.append(try await Curl.push(url, String(repeating: "x", count: 5000), headers: [auth]).status)
        statuses.append(try await Curl.push(url, good, headers: [auth, "Content-Type: application/json"]).status)
        let changed = CSVBody([("a", "alpha", 2, "Alpha")]).text
        statuses.append(
            try await Curl.push(receiver.url("/api/v1/snapshots"), changed, headers: [auth, CaptureTime.header(time)])
                .status)
        let lock = try await SQLiteLockHolder(store: receiver.storePath)
        statuses.append(try await Curl.push(url, changed, headers: [auth]).status)
        try await lock.release()
        #expect(statuses == [200, 200, 401, 401, 403, 400, 413, 415, 409, 503])

        let exposition = Exposition(try await Curl.request(receiver.url("/metrics")).text)
        #expect(exposition.samples["blogstats_snapshots_received_total"] == "10", "\(exposition.text)")
        let rejected = exposition.samples(startingWith: "blogstats_snapshots_rejected_total{")
        #expect(
            rejected == [
                #"blogstats_snapshots_rejected_total{reason="unauthorized"}"#: "2",
                #"blogstats_snapshots_rejected_total{reason="forbidden"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="malformed"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="too_large"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="unsupported"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="conflict"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="unavailable"}"#: "1",
                #"blogstats_snapshots_rejected_total{reason="failed"}"#: "0",
            ], "\(exposition.text)")
        // The duplicate was stored (answered 200) but added no rows.
        #expect(exposition.samples["blogstats_ingest_rows_total"] == "1")
        #expect(exposition.samples["blogstats_ingest_duration_seconds_count"] == "2")
        // A GET of the push path is no push.
        _ = try await Curl.request(url)
        let again = Exposition(try await Curl.request(receiver.url("/metrics")).text)
        #expect(again.samples["blogstats_snapshots_received_total"] == "10")
    }
}
