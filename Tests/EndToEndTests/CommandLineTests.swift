import Foundation
import Testing

/// `blogstats serve` as an operator meets it: help, mistakes, exit codes, the environment,
/// and a clean stop on SIGTERM.
@Suite struct CommandLineTests {
    static let flags = [
        "listen", "data", "push-token-file", "allow", "trust-proxy", "tls-cert", "tls-key", "max-body", "max-age",
        "max-skew", "busy-timeout", "threads", "connection-timeout", "per-ip-limit",
    ]

    @Test func helpListsEveryFlagAndItsEnvironmentVariable() async throws {
        let result = try await Shell.run(BlogstatsBinary.path, ["serve", "--help"], timeout: 10)
        #expect(result.status == 0 && !result.signalled, "\(result.summary)")
        let help = result.output
        #expect(help.hasPrefix("usage: blogstats serve"), "\(help)")
        for flag in Self.flags {
            let environment = "BLOGSTATS_" + flag.uppercased().replacingOccurrences(of: "-", with: "_")
            #expect(help.contains("  --\(flag)"), "--\(flag) missing from help")
            #expect(help.contains("[env \(environment)]"), "\(environment) missing from help")
        }
        #expect(help.contains("--help"))
        #expect(result.errorOutput.isEmpty, "\(result.errorOutput)")
    }

    struct Mistake: Sendable, CustomTestStringConvertible {
        var arguments: [String]
        var message: String
        var testDescription: String { arguments.joined(separator: " ") }
    }

    static let mistakes: [Mistake] = [
        Mistake(arguments: ["--bogus"], message: "unknown option --bogus"),
        Mistake(arguments: ["--listen"], message: "needs a value"),
        Mistake(arguments: ["--listen", "127.0.0.1"], message: "ADDR:PORT"),
        Mistake(arguments: ["--listen", "127.0.0.1:99999"], message: "ADDR:PORT"),
        Mistake(arguments: ["--listen", "example.com:8080"], message: "not an IP address"),
        Mistake(arguments: ["--max-body", "lots"], message: "--max-body"),
        Mistake(arguments: ["--max-age", "forever"], message: "--max-age"),
        Mistake(arguments: ["--busy-timeout", "soon"], message: "--busy-timeout"),
        Mistake(arguments: ["--allow", "not-an-address"], message: "--allow"),
        Mistake(arguments: ["--trust-proxy", "10.0.0.0/33"], message: "--trust-proxy"),
        Mistake(arguments: ["--tls-cert", "/etc/hostname"], message: "go together"),
        Mistake(arguments: ["--push-token-file", "SHORT_TOKEN_FILE"], message: "at least 16 characters"),
        Mistake(arguments: ["--push-token-file", "/nonexistent/token"], message: "cannot read"),
        Mistake(arguments: ["stray"], message: "unexpected argument"),
    ]

    @Test(arguments: mistakes)
    func aBadFlagExits2WithAMessage(_ mistake: Mistake) async throws {
        let directory = try TemporaryDirectory()
        let short = try directory.write("short.token", "tooshort\n")
        let arguments = mistake.arguments.map { $0 == "SHORT_TOKEN_FILE" ? short : $0 }
        let result = try await Shell.run(
            BlogstatsBinary.path,
            ["serve", "--data", directory.path("store.db"), "--listen", "127.0.0.1:0"] + arguments, timeout: 10)
        #expect(result.status == 2 && !result.signalled, "\(result.summary)")
        #expect(result.errorOutput.hasPrefix("blogstats serve: "), "\(result.summary)")
        #expect(result.errorOutput.contains(mistake.message), "\(result.summary)")
        #expect(!result.errorOutput.contains("listening"), "\(result.summary)")
        #expect(!FileManager.default.fileExists(atPath: directory.path("store.db")), "no store created on bad usage")
    }

    @Test func unknownCommandExits2() async throws {
        let result = try await Shell.run(BlogstatsBinary.path, ["frobnicate"], timeout: 10)
        #expect(result.status == 2, "\(result.summary)")
        #expect(result.errorOutput.contains("unknown command \"frobnicate\""), "\(result.summary)")
    }

    @Test func aTakenPortExits1WithAClearMessage() async throws {
        let directory = try TemporaryDirectory()
        let first = try await ReceiverProcess(in: directory, store: "first.db")
        let result = try await Shell.run(
            BlogstatsBinary.path,
            ["serve", "--listen", "127.0.0.1:\(first.port)", "--data", directory.path("second.db")], timeout: 10)
        #expect(result.status == 1 && !result.signalled, "\(result.summary)")
        #expect(result.errorOutput.contains("127.0.0.1:\(first.port)"), "\(result.summary)")
        #expect(result.errorOutput.contains("in use"), "\(result.summary)")
        // The first receiver is unharmed.
        #expect((try await Curl.request(first.url("/healthz"))).status == 200)
    }

    @Test func aStoreThatCannotBeOpenedExits1() async throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("missing-directory/store.db")
        let result = try await Shell.run(
            BlogstatsBinary.path, ["serve", "--listen", "127.0.0.1:0", "--data", path], timeout: 10)
        #expect(result.status == 1 && !result.signalled, "\(result.summary)")
        #expect(!result.errorOutput.contains("listening"), "\(result.summary)")
        #expect(!result.errorOutput.isEmpty, "\(result.summary)")
    }

    @Test func everyFlagCanComeFromTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let general = try directory.write("general.token", "env-general-token-0123456789")
        let notes = try directory.write("notes.token", "env-notes-token-9876543210")
        let store = directory.path("from-env.db")
        let receiver = try await ReceiverProcess(
            in: directory, store: "from-env.db", listen: nil,
            environment: [
                "BLOGSTATS_LISTEN": "127.0.0.1:0", "BLOGSTATS_DATA": store,
                "BLOGSTATS_PUSH_TOKEN_FILE": "\(general),\(notes):notes", "BLOGSTATS_MAX_BODY": "1K",
            ],
            passData: false)
        #expect(receiver.port != 8080, "BLOGSTATS_LISTEN chose the port")
        #expect(receiver.announcedStore == store, "BLOGSTATS_DATA chose the store")
        let body = CSVBody([("p", "s", 1, "T")]).text
        let time = CaptureTime.now() - 60
        let anonymous = try await Curl.push(receiver.url("/stats"), body, headers: [CaptureTime.header(time)])
        #expect(anonymous.status == 401, "BLOGSTATS_PUSH_TOKEN_FILE requires a token: \(anonymous.summary)")
        let generalPush = try await Curl.push(
            receiver.url("/stats"), body,
            headers: ["Authorization: Bearer env-general-token-0123456789", CaptureTime.header(time)])
        #expect(
            generalPush.status == 200 && generalPush.object?["blog"] as? String == "default", "\(generalPush.summary)")
        let notesPush = try await Curl.push(
            receiver.url("/stats"), body,
            headers: ["Authorization: Bearer env-notes-token-9876543210", CaptureTime.header(time)])
        #expect(notesPush.status == 200 && notesPush.object?["blog"] as? String == "notes", "\(notesPush.summary)")
        let tooLarge = try await Curl.push(
            receiver.url("/stats"), String(repeating: "x", count: 2048),
            headers: ["Authorization: Bearer env-general-token-0123456789"])
        #expect(tooLarge.status == 413, "BLOGSTATS_MAX_BODY=1K: \(tooLarge.summary)")
        #expect(FileManager.default.fileExists(atPath: store))
    }

    @Test func theCommandLineWinsOverTheEnvironment() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db", environment: ["BLOGSTATS_LISTEN": "not-an-address"])
        #expect((try await Curl.request(receiver.url("/healthz"))).status == 200)
    }

    @Test func sigtermDrainsAndExits0WithTheStoppedLine() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        // A push still uploading when SIGTERM arrives is finished, not cut. The body comes from a
        // FIFO that the test feeds: half before the signal, the rest only once the receiver has
        // said it is stopping, so the order does not depend on how loaded the machine is.
        let body = CSVBody((0..<1500).map { (String(format: "post%05d", $0), "slug-\($0)", $0, "Title \($0)") })
        let bodyBytes = Data(body.text.utf8)
        #expect(bodyBytes.count > 40_000)
        let fifo = directory.path("body.fifo")
        #expect(mkfifo(fifo, 0o600) == 0)
        let stats = receiver.url("/stats")
        async let slow = Curl.request(
            stats, method: "POST", headers: ["Content-Type: text/csv"], arguments: ["-T", fifo])
        let writer = try await Task.detached { () throws -> FileHandle in
            guard let handle = FileHandle(forWritingAtPath: fifo) else { throw TestFailure("cannot open the FIFO") }
            return handle
        }.value
        let half = bodyBytes.count / 2
        try writer.write(contentsOf: bodyBytes.prefix(half))
        let connected = try await TCPConnections.waitForEstablished(toLocalPort: receiver.port)
        #expect(connected, "the slow push connected")
        kill(receiver.pid, SIGTERM)
        let stoppingLine = try await receiver.waitForLine(
            containing: "stopping: finishing requests in flight", timeout: 30)
        #expect(stoppingLine != nil, "\(receiver.log)")
        try writer.write(contentsOf: bodyBytes.suffix(from: half))
        try writer.close()
        let answer = try await slow
        let (status, signalled) = try await receiver.waitForExit(timeout: 30)
        #expect(status == 0 && !signalled, "\(receiver.log)")
        #expect(answer.status == 200, "the push in flight finished: \(answer.summary)")
        let lines = receiver.lines()
        // Stopping began, then the push in flight was answered, then the receiver stopped.
        let stopping = lines.firstIndex(of: "stopping: finishing requests in flight")
        let answered = lines.firstIndex { $0.hasPrefix("127.0.0.1 POST /stats 200 ") }
        #expect(lines.last == "stopped", "\(receiver.log)")
        #expect(stopping != nil && answered != nil && stopping! < answered!, "\(receiver.log)")
        // A clean stop leaves one self-contained file.
        let wal = (try? FileManager.default.attributesOfItem(atPath: receiver.storePath + "-wal"))?[.size] as? Int ?? 0
        #expect(wal == 0, "the WAL was checkpointed")
        expectSame(
            try await receiver.store.json("SELECT rows, total_views FROM snapshots"),
            JSON.canonical([["rows": 1500, "total_views": body.totalViews]]))
    }
}
