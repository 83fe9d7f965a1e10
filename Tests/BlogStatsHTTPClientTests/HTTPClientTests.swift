import BlogStatsCore
import BlogStatsHTTP
import BlogStatsHTTPClient
import Dispatch
import Foundation
import Testing

/// The client against real servers on loopback: the repo's own libmicrohttpd server (also with
/// TLS), a listener that never answers, and a closed port.
@Suite struct HTTPClientTests {
    let client = HTTPClient(userAgent: "blogstats-test/1")

    @Test func postSendsTheBodyWithItsLengthAndGetsStatusHeadersAndBody() async throws {
        let server = try startServer { request in
            let seen = "\(request.method) \(request.path) \(request.query["blog"] ?? "-")"
            return HTTPResponse(
                status: 201,
                headers: [
                    ("X-Seen", seen), ("X-Length", request.header("content-length") ?? "none"),
                    ("X-Type", request.header("content-type") ?? "none"),
                    ("X-Expect", request.header("expect") ?? "none"),
                    ("X-Agent", request.header("user-agent") ?? "none"),
                ],
                body: .bytes(request.body.reversed()))
        }
        defer { server.stop() }
        let body = (0..<3_000_000).map { UInt8(truncatingIfNeeded: $0 &* 7) }
        let response = try await send(
            HTTPClientRequest(
                method: "POST", url: "http://127.0.0.1:\(server.port)/stats?blog=notes",
                headers: [("Content-Type", "text/csv")], body: body))
        #expect(response.status == 201)
        #expect(response.headers["x-seen"] == "POST /stats notes")
        #expect(response.headers["x-length"] == "3000000", "a known length, not chunked")
        #expect(response.headers["x-type"] == "text/csv")
        #expect(response.headers["x-expect"] == "none", "no 100-continue round trip")
        #expect(response.headers["x-agent"] == "blogstats-test/1")
        #expect(response.body == body.reversed())
    }

    @Test func emptyBodiesAndOtherMethods() async throws {
        let server = try startServer { request in
            HTTPResponse(
                status: 200,
                headers: [
                    ("X-Length", request.header("content-length") ?? "none"),
                    ("X-Type", request.header("content-type") ?? "none"),
                ],
                body: .bytes(Array(request.method.utf8)))
        }
        defer { server.stop() }
        let url = "http://127.0.0.1:\(server.port)/x"
        let get = try await send(HTTPClientRequest(url: url))
        #expect(String(decoding: get.body, as: UTF8.self) == "GET")
        #expect(get.headers["x-length"] == "none")
        let put = try await send(HTTPClientRequest(method: "PUT", url: url))
        #expect(String(decoding: put.body, as: UTF8.self) == "PUT")
        #expect(put.headers["x-length"] == "0")
        #expect(put.headers["x-type"] == "none", "no form content type added")
        let delete = try await send(HTTPClientRequest(method: "DELETE", url: url, body: [1, 2, 3]))
        #expect(String(decoding: delete.body, as: UTF8.self) == "DELETE")
        #expect(delete.headers["x-length"] == "3")
        let head = try await send(HTTPClientRequest(method: "HEAD", url: url))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func anErrorStatusIsAnAnswerNotAnError() async throws {
        let server = try startServer { _ in
            .json(503, #"{"error":"store locked"}"#, headers: [("Retry-After", "5")])
        }
        defer { server.stop() }
        let response = try await send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/"))
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] == "5")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"store locked"}"#)
    }

    @Test func gzipUploadArrivesAsSent() async throws {
        let server = try startServer { request in
            guard request.header("content-encoding") == "gzip",
                let csv = try? Gzip.inflate(request.body, limit: 1 << 26)
            else { return .json(400, #"{"error":"not gzip"}"#) }
            return HTTPResponse(status: 200, headers: [("X-Gzip-Bytes", "\(request.body.count)")], body: .bytes(csv))
        }
        defer { server.stop() }
        let csv = Array(
            (["id,slug,view_count,title"] + (0..<20_000).map { "p\($0),slug-\($0),\($0 * 3),\"Title, \($0)\"" })
                .joined(separator: "\n").utf8)
        let gzip = Gzip.deflate(csv)
        let response = try await send(
            HTTPClientRequest(
                method: "POST", url: "http://127.0.0.1:\(server.port)/stats",
                headers: [("Content-Type", "text/csv"), ("Content-Encoding", "gzip")], body: gzip))
        #expect(response.status == 200, "\(String(decoding: response.body, as: UTF8.self))")
        #expect(response.headers["x-gzip-bytes"] == "\(gzip.count)")
        #expect(response.body == csv)
    }

    @Test(arguments: [
        (connect: 1.0, total: 30.0, kind: HTTPClientError.Kind.connectTimeout),
        (connect: 30.0, total: 1.0, kind: HTTPClientError.Kind.timeout),
    ])
    func aServerThatNeverAnswersCostsOneTimeout(connect: Double, total: Double, kind: HTTPClientError.Kind) async throws
    {
        let silent = try SilentListener()
        let request = HTTPClientRequest(
            method: "POST", url: "http://127.0.0.1:\(silent.port)/stats", body: [1, 2, 3], connectTimeout: connect,
            timeout: total)
        let client = self.client
        // Timed on the thread that waits, so a busy test runner cannot add to it.
        let (result, took) = try await onThread {
            let started = ContinuousClock.now
            let result = Result { () throws(HTTPClientError) in try client.send(request) }
            return (result, ContinuousClock.now - started)
        }
        guard case .failure(let error) = result else { throw FixtureFailure(description: "an answer: \(result)") }
        #expect(error.kind == kind, "\(error)")
        #expect(took >= .milliseconds(900) && took < .seconds(15), "\(took)")
    }

    @Test func connectionRefused() async throws {
        let port = try refusedPort()
        let error = try await failure(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        #expect(error?.kind == .connect, "\(String(describing: error))")
        #expect(error?.message.contains("\(port)") == true, "\(String(describing: error))")
    }

    @Test func aServerHangingUpMidUploadIsAnErrorNotASIGPIPE() async throws {
        let listener = try HangingUpListener()
        let body = [UInt8](repeating: 0x61, count: 8 << 20)
        let error = try await failure(
            HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(listener.port)/", body: body))
        #expect(error?.kind == .connectionLost, "\(String(describing: error))")
    }

    @Test func onlyHTTPAndHTTPS() async throws {
        let error = try await failure(HTTPClientRequest(url: "file:///etc/passwd"))
        #expect(error?.kind == .invalidRequest)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl not installed"))
    func httpsWithASelfSignedCertificate() async throws {
        let directory = try TemporaryDirectory()
        let (cert, key) = try selfSignedCertificate(in: directory)
        let tls = TLSConfiguration(
            certificatePEM: try String(contentsOfFile: cert, encoding: .utf8),
            keyPEM: try String(contentsOfFile: key, encoding: .utf8))
        let server = try startServer(tls: tls) { request in HTTPResponse(status: 200, body: .bytes(request.body)) }
        defer { server.stop() }
        let request = HTTPClientRequest(method: "POST", url: "https://127.0.0.1:\(server.port)/", body: [7, 8, 9])
        let trusting = HTTPClient(userAgent: "blogstats-test/1", certificateAuthorities: cert)
        let response = try await send(request, with: trusting)
        #expect(response.status == 200)
        #expect(response.body == [7, 8, 9])
        // The system's authorities do not know this certificate.
        let error = try await failure(request)
        #expect(error?.kind == .tls, "\(String(describing: error))")
        // Plain HTTP to the TLS port gets no HTTP answer.
        let plain = try await failure(
            HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/", connectTimeout: 5, timeout: 10))
        #expect(plain != nil)
    }

    @Test func aLargeBodyIsStreamedPieceByPiece() async throws {
        let total = 8 << 20 + 5
        let server = try startServer { _ in HTTPResponse(status: 200, body: .stream(PatternStream(total: total))) }
        defer { server.stop() }
        let client = self.client
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/export")
        let (response, received, largestPiece, intact) = try await onThread {
            var received = 0
            var largestPiece = 0
            var intact = true
            let response = try client.send(request) { piece in
                var offset = 0
                while offset < piece.count {
                    let count = min(PatternStream.pieceSize, piece.count - offset)
                    if piece[offset..<(offset + count)] != PatternStream.expected(at: received + offset, count: count) {
                        intact = false
                    }
                    offset += count
                }
                received += piece.count
                largestPiece = max(largestPiece, piece.count)
            }
            return (response, received, largestPiece, intact)
        }
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(received == total)
        #expect(intact)
        #expect(largestPiece <= 1 << 20, "pieces, not the whole body: \(largestPiece)")
    }

    @Test func aStreamedErrorAnswerIsReturnedWhole() async throws {
        let server = try startServer { _ in .json(400, #"{"error":"bad kind","field":"kind"}"#) }
        defer { server.stop() }
        let client = self.client
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/")
        let (response, streamed) = try await onThread {
            var streamed = 0
            let response = try client.send(request) { streamed += $0.count }
            return (response, streamed)
        }
        #expect(response.status == 400)
        #expect(streamed == 0)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"bad kind","field":"kind"}"#)
    }

    @Test func anErrorFromTheReceiverStopsTheDownloadAndIsRethrown() async throws {
        struct DiskFull: Error {}
        let server = try startServer { _ in HTTPResponse(status: 200, body: .stream(PatternStream(total: 32 << 20))) }
        defer { server.stop() }
        let client = self.client
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/")
        let (thrown, pieces) = try await onThread {
            var pieces = 0
            do {
                _ = try client.send(request) { _ in
                    pieces += 1
                    if pieces == 3 { throw DiskFull() }
                }
                return ("nothing", pieces)
            } catch {
                return ("\(type(of: error))", pieces)
            }
        }
        #expect(thrown == "DiskFull")
        #expect(pieces == 3)
    }

    @Test func cancelAllEndsARequestInFlight() async throws {
        let silent = try SilentListener()
        let client = self.client
        let request = HTTPClientRequest(url: "http://127.0.0.1:\(silent.port)/", connectTimeout: 60, timeout: 60)
        // The canceller runs on a thread too: only threads that are not the test runner's take part.
        async let cancelledAt = onThread {
            let deadline = ContinuousClock.now + .seconds(30)
            // Cancel only once the request is connected and waiting.
            while silent.connections == 0 && ContinuousClock.now < deadline { usleep(5_000) }
            usleep(50_000)
            client.cancelAll()
            return ContinuousClock.now
        }
        let (result, endedAt) = try await onThread {
            let result = Result { () throws(HTTPClientError) in try client.send(request) }
            return (result, ContinuousClock.now)
        }
        let cancelled = try await cancelledAt
        guard case .failure(let error) = result else { throw FixtureFailure(description: "an answer: \(result)") }
        #expect(error.kind == .cancelled, "\(error)")
        #expect(endedAt - cancelled < .seconds(5), "within about a second of cancelAll")
    }

    @Test func requestsOneAfterAnotherShareOneConnection() async throws {
        let server = try KeepAliveCounter()
        for round in 0..<3 {
            let response = try await send(
                HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/stats", body: [UInt8(round)]))
            #expect(response.status == 200 && response.body == Array("ok".utf8))
        }
        #expect(server.connections == 1)
        // Another client has connections of its own.
        let other = HTTPClient(userAgent: "blogstats-test/2")
        _ = try await send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/"), with: other)
        #expect(server.connections == 2)
    }

    @Test func manyThreadsShareOneClient() async throws {
        let server = try startServer(threads: 8) { request in HTTPResponse(status: 200, body: .bytes(request.body)) }
        defer { server.stop() }
        let client = self.client
        let port = server.port
        let failures = Failures()
        try await onThread {
            DispatchQueue.concurrentPerform(iterations: 8) { worker in
                for round in 0..<20 {
                    let body = Array("worker \(worker) round \(round)".utf8)
                    let request = HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(port)/echo", body: body)
                    do throws(HTTPClientError) {
                        let response = try client.send(request)
                        if response.status != 200 || response.body != body {
                            failures.add("\(worker)/\(round): wrong answer")
                        }
                    } catch {
                        failures.add("\(worker)/\(round): \(error)")
                    }
                }
            }
        }
        #expect(failures.list.isEmpty, "\(failures.list)")
    }

    /// The request sent on a thread of its own (see `onThread`).
    func send(_ request: HTTPClientRequest, with client: HTTPClient? = nil) async throws -> HTTPClientResponse {
        let client = client ?? self.client
        return try await onThread { try client.send(request) }
    }

    /// The error the request ends with, nil (and an issue) when it gets an answer instead.
    func failure(_ request: HTTPClientRequest, with client: HTTPClient? = nil) async throws -> HTTPClientError? {
        let client = client ?? self.client
        let result = try await onThread { Result { () throws(HTTPClientError) in try client.send(request) } }
        switch result {
        case .success(let response):
            Issue.record("expected an error, got HTTP \(response.status)")
            return nil
        case .failure(let error):
            return error
        }
    }
}

/// Runs blocking work on a thread of its own, so that a request waiting for a timeout holds
/// none of the test runner's few threads (two on a two-core machine) that other tests need.
func onThread<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { continuation in
        Thread.detachNewThread { continuation.resume(with: Result { try work() }) }
    }
}
