import BlogStatsHTTP
import Foundation
import Testing

@Suite struct HTTPServerTests {
    @Test func getWithQueryDecoding() throws {
        let server = try TestServer.start { .json(200, $0.echoJSON()) }
        defer { server.stop() }
        let result = try Curl.run(
            "http://127.0.0.1:\(server.port)/a%20b/c%2Fd?x=1&name=J%C3%BCrgen+M&x=2&flag&p=a%2Bb")
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.headers["content-type"] == "application/json")
        let echo = try Echo(result.body)
        #expect(echo.method == "GET")
        #expect(echo.path == "/a b/c/d")
        #expect(echo.query == ["x": "2", "name": "Jürgen M", "flag": "", "p": "a+b"])
        #expect(echo.peer == "127.0.0.1")
    }

    @Test(arguments: [0, 17, 5 * 1024 * 1024])
    func postBodyEcho(size: Int) throws {
        let server = try TestServer.start { request in
            HTTPResponse(status: 200, headers: [("X-Method", request.method)], body: .bytes(request.body))
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let payload = TestServer.bytes(size, seed: UInt64(size))
        let file = try directory.write("payload", payload)
        let result = try Curl.run("http://127.0.0.1:\(server.port)/echo", ["--data-binary", "@\(file)"])
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.headers["x-method"] == "POST")
        #expect(result.body.count == size)
        #expect(result.body == payload)
    }

    @Test func chunkedUploadEcho() throws {
        let sawChunked = CallCounter()
        let server = try TestServer.start { request in
            if request.header("Transfer-Encoding") == "chunked" { sawChunked.increment() }
            return HTTPResponse(status: 200, body: .bytes(request.body))
        }
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let payload = TestServer.bytes(3 * 1024 * 1024 + 5)
        let file = try directory.write("payload", payload)
        let result = try Curl.run(
            "http://127.0.0.1:\(server.port)/echo",
            ["-H", "Transfer-Encoding: chunked", "--data-binary", "@\(file)"])
        #expect(result.status == 200, "\(result.stderr)")
        #expect(sawChunked.value == 1, "the upload really was chunked")
        #expect(result.body == payload)
    }

    @Test func streamingResponseIsReassembled() throws {
        let total = 6 * 1024 * 1024 + 123
        let server = try TestServer.start { _ in
            HTTPResponse(
                status: 200, headers: [("Content-Type", "application/octet-stream")],
                body: .stream(PatternStream(total: total)))
        }
        defer { server.stop() }
        let result = try Curl.run("http://127.0.0.1:\(server.port)/export")
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.headers["transfer-encoding"] == "chunked")
        #expect(result.body.count == total)
        #expect(result.body == PatternStream.expected(total))
    }

    @Test func headersAreCaseInsensitive() throws {
        let server = try TestServer.start { request in
            let customKeys = request.headers.keys.filter { $0.hasPrefix("x-") }.sorted()
            return HTTPResponse(
                status: 200,
                headers: [
                    ("X-Reply", request.header("X-CUSTOM-THING") ?? "missing"),
                    ("X-Keys", customKeys.joined(separator: ",")),
                ])
        }
        defer { server.stop() }
        let result = try Curl.run(
            "http://127.0.0.1:\(server.port)/",
            ["-H", "X-Custom-Thing: one", "-H", "x-custom-thing: two", "-H", "X-Other: 3"])
        #expect(result.status == 200, "\(result.stderr)")
        #expect(result.headers["x-reply"] == "one, two")
        #expect(result.headers["x-keys"] == "x-custom-thing,x-other")
    }

    @Test func headersFromInit() throws {
        let request = HTTPRequest(
            method: "GET", path: "/", headers: ["Content-Type": "a", "X-A": "1"], peer: try #require(IPAddress("::1")))
        #expect(request.headers == ["content-type": "a", "x-a": "1"])
        #expect(request.header("CONTENT-TYPE") == "a")
        #expect(request.header("missing") == nil)
    }

    @Test func statusAndHeadersReachTheClient() throws {
        let server = try TestServer.start { _ in
            .json(
                404, #"{"error":"no such thing"}"#,
                headers: [("Cache-Control", "no-store"), ("X-Bad", "a\r\nInjected: yes")])
        }
        defer { server.stop() }
        let result = try Curl.run("http://127.0.0.1:\(server.port)/nothing")
        #expect(result.status == 404)
        #expect(result.text == #"{"error":"no such thing"}"#)
        #expect(result.headers["cache-control"] == "no-store")
        #expect(result.headers["content-type"] == "application/json")
        #expect(result.headers["injected"] == nil, "a header value with CR LF is dropped, not split")
        #expect(result.headers["x-bad"] == nil)
    }
}
