import BlogStatsHTTP
import Foundation
import Synchronization
import Testing

#if canImport(Glibc)
    import Glibc
#endif

@Suite struct HTTPServerLifecycleTests {
    @Test func stopDrainsInFlightRequestAndRefusesNewConnections() throws {
        let entered = CallCounter()
        let server = try TestServer.start { request in
            if request.path == "/slow" {
                entered.increment()
                Thread.sleep(forTimeInterval: 0.5)
            }
            return .json(200, #"{"done":true}"#)
        }
        let port = server.port
        let slowResult = Mutex<Curl.Result?>(nil)
        let client = Thread {
            let result = try? Curl.run("http://127.0.0.1:\(port)/slow")
            slowResult.withLock { $0 = result }
        }
        client.start()
        let waitStart = Date()
        while entered.value == 0 && Date().timeIntervalSince(waitStart) < 5 { Thread.sleep(forTimeInterval: 0.005) }
        try #require(entered.value == 1, "the slow request reached the handler")

        let stopped = CallCounter()
        let stopper = Thread {
            server.stop(drainTimeout: 5)
            stopped.increment()
        }
        let stopStart = Date()
        stopper.start()
        Thread.sleep(forTimeInterval: 0.1)
        #expect(stopped.value == 0, "stop() waits for the request in flight")
        #expect(throws: RawHTTPError.self, "no new connections while draining") { _ = try RawHTTPClient(port: port) }

        while stopped.value == 0 && Date().timeIntervalSince(stopStart) < 10 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        #expect(stopped.value == 1)
        let elapsed = Date().timeIntervalSince(stopStart)
        #expect(elapsed < 3, "drained well before the 5 s timeout (took \(elapsed) s)")
        while slowResult.withLock({ $0 == nil }) && Date().timeIntervalSince(stopStart) < 10 {
            Thread.sleep(forTimeInterval: 0.01)
        }
        let result = try #require(slowResult.withLock { $0 })
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.text == #"{"done":true}"#)
        #expect(throws: RawHTTPError.self, "refused after stop") { _ = try RawHTTPClient(port: port) }
        let after = try Curl.run("http://127.0.0.1:\(port)/", timeout: 5)
        #expect(after.exitCode == 7, "curl: could not connect (\(after.stderr))")
        server.stop()  // idempotent
    }

    @Test func ipv6Loopback() throws {
        let server: HTTPServer
        // Every answer names this server, so an IPv4 server another test runs on the same port
        // number is not mistaken for it.
        let token = UUID().uuidString
        do {
            server = try TestServer.start(configure: { $0.host = "::1" }) {
                .json(200, $0.echoJSON(), headers: [("X-Server", token)])
            }
        } catch {
            if let reason = Self.ipv6LoopbackUnavailable() {
                print("skipping IPv6 test: ::1 is unavailable here (\(reason)); server said: \(error)")
                return
            }
            throw error
        }
        defer { server.stop() }
        let result = try Curl.run("http://[::1]:\(server.port)/six?v=6", ["-g"])
        #expect(result.status == 200, "\(result.stderr)")
        let echo = try Echo(result.body)
        #expect(echo.peer == "::1")
        #expect(echo.query == ["v": "6"])
        #expect(result.headers["x-server"] == token)
        // Bound to ::1 exactly: not reachable over IPv4 (the port number is either free there,
        // or another test's server has it).
        if let client = try? RawHTTPClient(port: server.port) {
            try client.send("GET /six HTTP/1.0\r\nHost: 127.0.0.1\r\n\r\n")
            #expect(!client.receive().contains(token))
        }
    }

    /// Why a socket cannot bind ::1, or nil when it can.
    static func ipv6LoopbackUnavailable() -> String? {
        let fd = socket(AF_INET6, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { return "socket(AF_INET6): \(String(cString: strerror(errno)))" }
        defer { close(fd) }
        var address = sockaddr_in6()
        address.sin6_family = sa_family_t(AF_INET6)
        address.sin6_addr = in6addr_loopback
        let result = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in6>.size))
            }
        }
        return result == 0 ? nil : "bind(::1): \(String(cString: strerror(errno)))"
    }

    @Test func tlsWithSelfSignedCertificate() throws {
        let openssl = ["/usr/bin/openssl", "/usr/local/bin/openssl"].first(where: FileManager.default.isExecutableFile)
        let opensslPath = try #require(openssl, "the openssl CLI is needed to make a test certificate")
        let directory = try TemporaryDirectory()
        let process = Process()
        process.executableURL = URL(fileURLWithPath: opensslPath)
        process.arguments = [
            "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
            "-keyout", directory.path("key.pem"), "-out", directory.path("cert.pem"),
        ]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        try #require(process.terminationStatus == 0)
        let tls = TLSConfiguration(
            certificatePEM: try String(contentsOfFile: directory.path("cert.pem"), encoding: .utf8),
            keyPEM: try String(contentsOfFile: directory.path("key.pem"), encoding: .utf8))
        let server = try TestServer.start(configure: { $0.tls = tls }) { request in
            HTTPResponse(status: 200, body: .bytes(Array("secure \(request.path)".utf8)))
        }
        defer { server.stop() }
        let result = try Curl.run("https://127.0.0.1:\(server.port)/hello", ["-k"])
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.text == "secure /hello")
        let plain = try Curl.run("http://127.0.0.1:\(server.port)/hello", timeout: 5)
        #expect(plain.status != 200, "plain HTTP is not served on a TLS port")

        var bad = tls
        bad.keyPEM = "not a key"
        let badKey = try #require(throws: HTTPServerError.self) {
            _ = try TestServer.start(configure: { $0.tls = bad }) { _ in .json(200, "{}") }
        }
        #expect(badKey.message.hasPrefix("cannot start HTTP server on 127.0.0.1:0: "), "\(badKey)")
    }

    @Test func accessLogLines() throws {
        let log = LineCollector()
        let server = try TestServer.start(configure: { configuration in
            configuration.accessLog = { log.append($0) }
        }) { request in
            .json(request.path == "/missing" ? 404 : 200, "{}", logNote: request.path == "/stats" ? "rows=1000" : nil)
        }
        defer { server.stop() }
        #expect(try Curl.run("http://127.0.0.1:\(server.port)/stats?site=a", ["--data-binary", "x"]).status == 200)
        #expect(try Curl.run("http://127.0.0.1:\(server.port)/missing").status == 404)
        #expect(try Curl.run("http://127.0.0.1:\(server.port)/a%20b%0Ac").status == 200)
        let lines = log.all
        #expect(lines.count == 3)
        let pattern = #/^127\.0\.0\.1 POST /stats 200 \d+\.\dms rows=1000$/#
        #expect(lines.contains { $0.wholeMatch(of: pattern) != nil }, "\(lines)")
        #expect(lines.contains { $0.wholeMatch(of: #/^127\.0\.0\.1 GET /missing 404 \d+\.\dms$/#) != nil }, "\(lines)")
        #expect(lines.contains { $0.hasPrefix("127.0.0.1 GET /a%20b%0Ac 200 ") }, "one line, no raw space: \(lines)")
    }

    @Test func startFailuresAreExplained() throws {
        let first = try TestServer.start { _ in .json(200, "{}") }
        defer { first.stop() }
        let error = try #require(throws: HTTPServerError.self) {
            _ = try TestServer.start(configure: { $0.port = first.port }) { _ in .json(200, "{}") }
        }
        #expect(error.message == "cannot listen on 127.0.0.1:\(first.port): address already in use")

        let badHost = try #require(throws: HTTPServerError.self) {
            _ = try TestServer.start(configure: { $0.host = "localhost" }) { _ in .json(200, "{}") }
        }
        #expect(badHost.message.contains("'localhost'"))
    }

    @Test func ephemeralPortIsReported() throws {
        let server = try TestServer.start { _ in .json(200, "{}") }
        defer { server.stop() }
        #expect(server.port != 0)
        #expect(server.port != 8080)
        #expect(try Curl.run("http://127.0.0.1:\(server.port)/").status == 200)
    }
}
