import BlogStatsHTTP
import Foundation
import Synchronization
import Testing

/// The mirror's requests where no real server can be run here: Debian has no InfluxDB 2.x, and
/// the real influxd 1.x of InfluxMirrorTests runs without authentication. An HTTP server of the
/// test records what arrives, checked against the write APIs (2.x: `POST /api/v2/write?org=O&
/// bucket=B&precision=s` with `Authorization: Token T`; 1.x: `POST /write?db=D&rp=R&precision=s`
/// with HTTP Basic) and `GET /ping`. The points themselves are checked against the real influxd
/// in InfluxMirrorTests.
@Suite struct InfluxRequestTests {
    struct Recorded: Sendable {
        var method: String
        var path: String
        var query: [String: String]
        var authorization: String?
        var body: String
    }

    @Test func writesGoToTheV2EndpointWithTheToken() async throws {
        let directory = try TemporaryDirectory()
        let token = try directory.write("influx-token", "v2-token-0123456789abcdef\n")
        let write = try await Self.recordWrite(in: directory) { url in
            [
                "--influx-url", url, "--influx-org", "acme corp", "--influx-bucket", "blog/stats",
                "--influx-token-file", token,
            ]
        }
        #expect(write.target == "org acme corp bucket blog/stats")
        #expect(write.request.path == "/api/v2/write")
        #expect(write.request.query == ["org": "acme corp", "bucket": "blog/stats", "precision": "s"])
        #expect(write.request.authorization == "Token v2-token-0123456789abcdef")
    }

    /// InfluxDB 1.x with authentication on: HTTP Basic (the same path influxd 1.x takes, whose
    /// auth the real-influxd tests leave off).
    @Test func v1CredentialsGoAsBasicAuthentication() async throws {
        let directory = try TemporaryDirectory()
        let password = try directory.write("influx-password", "p@ss: word\n")
        let write = try await Self.recordWrite(in: directory) { url in
            [
                "--influx-url", url, "--influx-db", "blog", "--influx-rp", "autogen", "--influx-user", "writer",
                "--influx-password-file", password,
            ]
        }
        #expect(write.target == "db blog rp autogen")
        #expect(write.request.path == "/write")
        #expect(write.request.query == ["db": "blog", "rp": "autogen", "precision": "s"])
        #expect(write.request.authorization == "Basic " + Data("writer:p@ss: word".utf8).base64EncodedString())
    }

    /// Starts a receiver mirroring to a recording server (flags from `arguments(url)`), pushes
    /// one snapshot and returns the one write request that arrived, after a ping, with the
    /// target /healthz names (without the URL).
    static func recordWrite(
        in directory: TemporaryDirectory, arguments: (String) -> [String]
    ) async throws -> (request: Recorded, target: String?) {
        let requests = Mutex<[Recorded]>([])
        var configuration = HTTPServerConfiguration()
        configuration.port = 0
        configuration.errorLog = { _ in }
        let influx = try HTTPServer(configuration: configuration) { request in
            requests.withLock {
                $0.append(
                    Recorded(
                        method: request.method, path: request.path, query: request.query,
                        authorization: request.header("Authorization"),
                        body: String(decoding: request.body, as: UTF8.self)))
            }
            return HTTPResponse(status: 204, headers: [], body: .bytes([]))
        }
        defer { influx.stop() }

        let url = "http://127.0.0.1:\(influx.port)"
        let receiver = try await ReceiverProcess(in: directory, arguments: arguments(url))
        let time = InfluxMirrorTests.recentMinute(back: 3)
        try await InfluxMirrorTests.push(
            receiver, InfluxMirrorTests.csv([("p1", "hello-world", 42, "Hello, world = \"hi\"")]), at: time)
        let status = try await InfluxMirrorTests.waitForDrain(receiver, timeout: 30)

        let recorded = requests.withLock { $0 }
        let order = recorded.map { "\($0.method) \($0.path)" }
        #expect(order.first == "GET /ping", "asks with /ping before the first write: \(order)")
        let writes = recorded.filter { $0.method == "POST" }
        try #require(writes.count == 1, "\(order)")
        #expect(
            writes[0].body == #"blog_stats,id=p1,slug=hello-world,title=Hello\,\ world\ \=\ "hi" value=42i \#(time)"#
                + "\n")
        let target = status["target"]?.string
        return (writes[0], target.map { $0.hasPrefix(url + " ") ? String($0.dropFirst(url.count + 1)) : $0 })
    }
}
