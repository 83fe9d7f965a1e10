import Foundation
import Testing

/// `GET /api/v1/export.csv` and `blogstats export` against real receivers: an exported
/// history pushed again rebuilds the same store, byte for byte, and reading it needs the right.
@Suite struct ExportTests {
    static let readToken = "export-read-token-0123456789"
    static let remote = "X-Forwarded-For: 203.0.113.9"

    /// ReadHistory in blog `default` (absence, reset, rename, a hostile title, a gap) and two
    /// snapshots of blog `other`, one of them sent with a `blog` column.
    static func pushHistory(to receiver: ReceiverProcess, base: Int64) async throws {
        _ = try await ReadHistory.push(to: receiver, base: base)
        let other = try await Curl.push(
            receiver.url("/stats?blog=other"), CSVBody([("x", "", 1, "X, \"quoted\"")]).text,
            headers: [CaptureTime.header(base + 5 * 60)])
        let withColumn = try await Curl.push(
            receiver.url("/stats"),
            "blog,id,slug,view_count,title\r\nother,x,,2,\"X, \"\"quoted\"\"\"\r\nother,y,why,0,Y\r\n",
            headers: [CaptureTime.header(base + 15 * 60)])
        for answer in [other, withColumn] {
            guard answer.status == 200 else { throw TestFailure("pushing blog other: \(answer.summary)") }
        }
    }

    /// The records of a CSV body (a quoted field may hold line ends), each without its `\r\n`.
    static func records(_ body: Data) -> [Data] {
        var records: [Data] = []
        var quoted = false
        var start = body.startIndex
        var index = body.startIndex
        while index < body.endIndex {
            let byte = body[index]
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if !quoted, byte == 0x0D, index + 1 < body.endIndex, body[index + 1] == 0x0A {
                records.append(body[start..<index])
                index += 2
                start = index
                continue
            }
            index += 1
        }
        if start < body.endIndex { records.append(body[start...]) }
        return records
    }

    /// Pushes each snapshot of a `kind=snapshots` export again, grouped by time, with its time.
    static func replay(_ export: Data, to receiver: ReceiverProcess) async throws -> Int {
        let records = records(export)
        guard let header = records.first,
            String(decoding: header, as: UTF8.self) == "time,blog,id,slug,view_count,title"
        else { throw TestFailure("unexpected export header: \(String(decoding: export.prefix(100), as: UTF8.self))") }
        var groups: [String: [Data]] = [:]
        for record in records.dropFirst() {
            let time = String(decoding: record.prefix { $0 != UInt8(ascii: ",") }, as: UTF8.self)
            groups[time, default: []].append(record)
        }
        for time in groups.keys.sorted() {
            var body = header + Data("\r\n".utf8)
            for record in groups[time]! { body += record + Data("\r\n".utf8) }
            let answer = try await Curl.push(
                receiver.url("/stats"), body, headers: ["X-Blogstats-Captured-At: \(time)"])
            guard answer.status == 200 else { throw TestFailure("replaying \(time): \(answer.summary)") }
        }
        return groups.count
    }

    @Test func anExportPushedAgainRebuildsTheSameStore() async throws {
        let base = ReadHistory.base()
        let first = try await ReceiverProcess(in: try TemporaryDirectory())
        try await Self.pushHistory(to: first, base: base)
        let exported = try await Curl.request(first.url("/api/v1/export.csv"))
        try #require(exported.status == 200, "\(exported.summary)")
        #expect(exported.headers["content-type"] == "text/csv; charset=utf-8")
        #expect(exported.headers["transfer-encoding"] == "chunked", "streamed: \(exported.headers)")
        // 16 rows of blog default, 1 + 2 of blog other, and the header.
        #expect(Self.records(exported.body).count == 20, "\(exported.text)")
        #expect(
            exported.text.contains(
                ",c,gamma,4,\"" + ReadHistory.hostileTitle.replacingOccurrences(of: "\"", with: "\"\"") + "\"\r\n"))

        // HEAD answers like GET without a body, and leaves the connection usable for the next request.
        let head = try await Shell.run(
            "curl", ["-s", "-S", "-I", first.url("/api/v1/export.csv"), "--next", "-s", "-S", first.url("/healthz")],
            timeout: 30)
        #expect(head.status == 0 && head.output.hasPrefix("HTTP/1.1 200"), "\(head.summary)")
        #expect(head.output.contains("text/csv") && head.output.hasSuffix("}"), "\(head.summary)")

        let second = try await ReceiverProcess(in: try TemporaryDirectory())
        let snapshots = try await Self.replay(exported.body, to: second)
        #expect(snapshots == 8)
        let again = try await Curl.request(second.url("/api/v1/export.csv"))
        #expect(again.status == 200)
        #expect(again.body == exported.body, "\(again.text)\n---\n\(exported.text)")

        // The store file read directly (while its receiver runs) gives the same bytes.
        let local = try await Shell.run(BlogstatsBinary.path, ["export", "--data", second.storePath], timeout: 30)
        #expect(local.status == 0 && local.errorOutput.isEmpty, "\(local.summary)")
        #expect(local.stdout == exported.body)
        // And so do the stored changes, which the two stores hold alike.
        let samples = try await Curl.request(first.url("/api/v1/export.csv?kind=samples"))
        #expect(samples.status == 200 && samples.text.hasPrefix("time,blog,id,views,gained_total\r\n"))
        #expect(try await Curl.request(second.url("/api/v1/export.csv?kind=samples")).body == samples.body)
    }

    @Test func jsonLinesFromTheAPIAndTheCommandAgree() async throws {
        let base = ReadHistory.base()
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        try await Self.pushHistory(to: receiver, base: base)
        let query =
            "?kind=series&blog=default&id=a&from=\(ReadHistory.time(base, 0))&to=\(ReadHistory.time(base, 100))&step=20m"
        let byParameter = try await Curl.request(receiver.url("/api/v1/export.csv" + query + "&format=json"))
        #expect(byParameter.status == 200 && byParameter.headers["content-type"] == "application/x-ndjson")
        let byAccept = try await Curl.request(
            receiver.url("/api/v1/export.csv" + query), headers: ["Accept: application/json"])
        #expect(byAccept.body == byParameter.body)
        let lines = byParameter.text.split(separator: "\n").map { JSON.parse(Data($0.utf8)) as? [String: Any] }
        #expect(lines.count == 5)
        // Post a: 100 → 110 → 115, a gap, 130, then a reset to 30 and 45.
        #expect(lines.map { $0?["views"] as? Int } == [10, 5, nil, 15, 15])
        #expect(lines.map { $0?["reset"] as? Bool } == [false, false, false, false, true])

        let output = directory.path("a.jsonl")
        let command = try await Shell.run(
            BlogstatsBinary.path,
            [
                "export", "--server", receiver.url, "--kind", "series", "--blog", "default", "--post", "a", "--from",
                ReadHistory.time(base, 0), "--to", ReadHistory.time(base, 100), "--step", "20m", "--format", "json",
                "--output", output,
            ], timeout: 30)
        #expect(command.status == 0 && command.output.isEmpty && command.errorOutput.isEmpty, "\(command.summary)")
        #expect(FileManager.default.contents(atPath: output) == byParameter.body)
    }

    @Test func readingNeedsTheReadRight() async throws {
        let directory = try TemporaryDirectory()
        let open = try await ReceiverProcess(
            in: directory, store: "open.db", arguments: ["--trust-proxy", "127.0.0.1/32"])
        let refused = try await Curl.request(open.url("/api/v1/export.csv"), headers: [Self.remote])
        #expect(refused.status == 403, "\(refused.summary)")
        #expect(!refused.text.contains("time,blog"))

        let token = try directory.write("read.token", Self.readToken)
        let guarded = try await ReceiverProcess(
            in: directory, store: "guarded.db",
            arguments: ["--trust-proxy", "127.0.0.1/32", "--read-token-file", token])
        try await Self.pushHistory(to: guarded, base: ReadHistory.base())
        let anonymous = try await Curl.request(guarded.url("/api/v1/export.csv"), headers: [Self.remote])
        #expect(anonymous.status == 401 && anonymous.headers["www-authenticate"] == "Bearer", "\(anonymous.summary)")
        let allowed = try await Curl.request(
            guarded.url("/api/v1/export.csv?blog=other"),
            headers: [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        #expect(allowed.status == 200 && Self.records(allowed.body).count == 4, "\(allowed.summary)")
        let missing = try await Curl.request(
            guarded.url("/api/v1/export.csv?blog=nope"),
            headers: [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        #expect(missing.status == 404 && missing.errorMessage.contains("nope"), "\(missing.summary)")
        let bad = try await Curl.request(
            guarded.url("/api/v1/export.csv?kind=everything"),
            headers: [Self.remote, "Authorization: Bearer \(Self.readToken)"])
        #expect(bad.status == 400 && bad.object?["field"] as? String == "kind", "\(bad.summary)")
    }

    @Test func theCommandSaysWhatWentWrongWithItsExitCode() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, arguments: ["--trust-proxy", "127.0.0.1/32"])
        try await Self.pushHistory(to: receiver, base: ReadHistory.base())
        let store = receiver.storePath
        let cases: [(arguments: [String], status: Int32, message: String)] = [
            (["--data", store, "--kind", "everything"], 2, "--kind"),
            (["--data", store, "--step", "1h"], 2, "--step"),
            (["--data", store, "--from", "2h", "--to", "3h"], 2, "--from"),
            (["--data", directory.path("missing.db")], 2, "no such store"),
            (["--data", store, "--blog", "nope"], 3, "no blog named \"nope\""),
            (["--data", store, "--blog", "other", "--post", "a"], 3, "no post \"a\" in blog \"other\""),
            (["--server", receiver.url, "--post", "zzz"], 3, "zzz"),
            (["--server", "http://127.0.0.1:9"], 1, "127.0.0.1:9"),
            (["--data", store, "--output", directory.path("no/such/dir/out.csv")], 1, "--output"),
        ]
        for (arguments, status, message) in cases {
            let result = try await Shell.run(BlogstatsBinary.path, ["export"] + arguments, timeout: 30)
            #expect(result.status == status, "\(result.summary)")
            #expect(
                result.errorOutput.hasPrefix("blogstats export: ") && result.errorOutput.contains(message),
                "\(result.summary)")
            #expect(result.output.isEmpty, "\(result.summary)")
        }
        let help = try await Shell.run(BlogstatsBinary.path, ["export", "--help"], timeout: 10)
        #expect(help.status == 0 && help.output.hasPrefix("usage: blogstats export"))
        for flag in ["data", "server", "token-file", "blog", "post", "kind", "from", "to", "step", "format", "output"] {
            #expect(help.output.contains("  --\(flag) "), "--\(flag) missing from help")
        }
        #expect(!FileManager.default.fileExists(atPath: directory.path("missing.db")), "no store created")
    }
}
