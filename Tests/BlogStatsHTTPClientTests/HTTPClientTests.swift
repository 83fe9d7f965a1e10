import BlogStatsCore
import BlogStatsHTTP
import BlogStatsHTTPClient
import Dispatch
import Foundation
import Synchronization
import Testing

/// The client against real servers on loopback: the repo's own libmicrohttpd server (also with
/// TLS), a listener that never answers, and a closed port.
@Suite struct HTTPClientTests {
    let client = HTTPClient(userAgent: "blogstats-test/1")

    @Test func postSendsTheBodyWithItsLengthAndGetsStatusHeadersAndBody() throws {
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
        let response = try client.send(
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

    @Test func emptyBodiesAndOtherMethods() throws {
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
        let get = try client.send(HTTPClientRequest(url: url))
        #expect(String(decoding: get.body, as: UTF8.self) == "GET")
        #expect(get.headers["x-length"] == "none")
        let put = try client.send(HTTPClientRequest(method: "PUT", url: url))
        #expect(String(decoding: put.body, as: UTF8.self) == "PUT")
        #expect(put.headers["x-length"] == "0")
        #expect(put.headers["x-type"] == "none", "no form content type added")
        let delete = try client.send(HTTPClientRequest(method: "DELETE", url: url, body: [1, 2, 3]))
        #expect(String(decoding: delete.body, as: UTF8.self) == "DELETE")
        #expect(delete.headers["x-length"] == "3")
        let head = try client.send(HTTPClientRequest(method: "HEAD", url: url))
        #expect(head.status == 200 && head.body.isEmpty)
    }

    @Test func anErrorStatusIsAnAnswerNotAnError() throws {
        let server = try startServer { _ in
            .json(503, #"{"error":"store locked"}"#, headers: [("Retry-After", "5")])
        }
        defer { server.stop() }
        let response = try client.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(server.port)/"))
        #expect(response.status == 503)
        #expect(response.headers["retry-after"] == "5")
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"store locked"}"#)
    }

    @Test func gzipUploadArrivesAsSent() throws {
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
        let response = try client.send(
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
    func aServerThatNeverAnswersCostsOneTimeout(connect: Double, total: Double, kind: HTTPClientError.Kind) throws {
        let silent = try SilentListener()
        let started = ContinuousClock.now
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(
                HTTPClientRequest(
                    method: "POST", url: "http://127.0.0.1:\(silent.port)/stats", body: [1, 2, 3],
                    connectTimeout: connect, timeout: total))
        }
        #expect(error?.kind == kind, "\(String(describing: error))")
        let took = ContinuousClock.now - started
        #expect(took >= .milliseconds(900) && took < .seconds(15), "\(took)")
    }

    @Test func connectionRefused() throws {
        let port = try refusedPort()
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(url: "http://127.0.0.1:\(port)/"))
        }
        #expect(error?.kind == .connect, "\(String(describing: error))")
        #expect(error?.message.contains("\(port)") == true, "\(String(describing: error))")
    }

    @Test func aServerHangingUpMidUploadIsAnErrorNotASIGPIPE() throws {
        let listener = try HangingUpListener()
        let body = [UInt8](repeating: 0x61, count: 16 << 20)
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(method: "POST", url: "http://127.0.0.1:\(listener.port)/", body: body))
        }
        #expect(error?.kind == .connectionLost, "\(String(describing: error))")
    }

    @Test func onlyHTTPAndHTTPS() throws {
        let error = #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(url: "file:///etc/passwd"))
        }
        #expect(error?.kind == .invalidRequest)
    }

    @Test(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/openssl"), "openssl not installed"))
    func httpsWithASelfSignedCertificate() throws {
        let directory = try TemporaryDirectory()
        let (cert, key) = try selfSignedCertificate(in: directory)
        let tls = TLSConfiguration(
            certificatePEM: try String(contentsOfFile: cert, encoding: .utf8),
            keyPEM: try String(contentsOfFile: key, encoding: .utf8))
        let server = try startServer(tls: tls) { request in HTTPResponse(status: 200, body: .bytes(request.body)) }
        defer { server.stop() }
        let request = HTTPClientRequest(method: "POST", url: "https://127.0.0.1:\(server.port)/", body: [7, 8, 9])
        let trusting = HTTPClient(userAgent: "blogstats-test/1", certificateAuthorities: cert)
        let response = try trusting.send(request)
        #expect(response.status == 200)
        #expect(response.body == [7, 8, 9])
        // The system's authorities do not know this certificate.
        let error = #expect(throws: HTTPClientError.self) { try client.send(request) }
        #expect(error?.kind == .tls, "\(String(describing: error))")
        // Plain HTTP to the TLS port gets no HTTP answer.
        #expect(throws: HTTPClientError.self) {
            try client.send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/", connectTimeout: 5, timeout: 10))
        }
    }

    @Test func aLargeBodyIsStreamedPieceByPiece() throws {
        let total = 24 << 20 + 5
        let server = try startServer { _ in HTTPResponse(status: 200, body: .stream(PatternStream(total: total))) }
        defer { server.stop() }
        var received = 0
        var largestPiece = 0
        var intact = true
        let response = try client.send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/export")) { piece in
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
        #expect(response.status == 200)
        #expect(response.body.isEmpty)
        #expect(received == total)
        #expect(intact)
        #expect(largestPiece <= 1 << 20, "pieces, not the whole body: \(largestPiece)")
    }

    @Test func aStreamedErrorAnswerIsReturnedWhole() throws {
        let server = try startServer { _ in .json(400, #"{"error":"bad kind","field":"kind"}"#) }
        defer { server.stop() }
        var streamed = 0
        let response = try client.send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/")) {
            streamed += $0.count
        }
        #expect(response.status == 400)
        #expect(streamed == 0)
        #expect(String(decoding: response.body, as: UTF8.self) == #"{"error":"bad kind","field":"kind"}"#)
    }

    @Test func anErrorFromTheReceiverStopsTheDownloadAndIsRethrown() throws {
        struct DiskFull: Error {}
        let server = try startServer { _ in HTTPResponse(status: 200, body: .stream(PatternStream(total: 32 << 20))) }
        defer { server.stop() }
        var pieces = 0
        #expect(throws: DiskFull.self) {
            try client.send(HTTPClientRequest(url: "http://127.0.0.1:\(server.port)/")) { _ in
                pieces += 1
                if pieces == 3 { throw DiskFull() }
            }
        }
        #expect(pieces == 3)
    }

    @Test func cancelAllEndsARequestInFlight() throws {
        let silent = try SilentListener()
        let client = self.client
        let started = ContinuousClock.now
        let outcome = Mutex<Result<HTTPClientResponse, HTTPClientError>?>(nil)
        let done = DispatchSemaphore(value: 0)
        // A thread of its own: the request blocks it, and no test-runner thread waits for it.
        Thread.detachNewThread {
            let result = Result { () throws(HTTPClientError) in
                try client.send(
                    HTTPClientRequest(url: "http://127.0.0.1:\(silent.port)/", connectTimeout: 60, timeout: 60))
            }
            outcome.withLock { $0 = result }
            done.signal()
        }
        // Cancel only once the request is connected and waiting.
        while silent.connections == 0 && ContinuousClock.now - started < .seconds(20) { usleep(10_000) }
        let cancelled = ContinuousClock.now
        client.cancelAll()
        #expect(done.wait(timeout: .now() + 30) == .success)
        let result = outcome.withLock { $0 }
        if case .failure(let error) = result {
            #expect(error.kind == .cancelled, "\(error)")
        } else {
            Issue.record("not cancelled: \(String(describing: result))")
        }
        #expect(ContinuousClock.now - cancelled < .seconds(10), "within about a second of cancelAll")
    }

    @Test func manyThreadsShareOneClient() throws {
        let server = try startServer(threads: 8) { request in HTTPResponse(status: 200, body: .bytes(request.body)) }
        defer { server.stop() }
        let client = self.client
        let port = server.port
        let failures = Failures()
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
        #expect(failures.list.isEmpty, "\(failures.list)")
    }
}
