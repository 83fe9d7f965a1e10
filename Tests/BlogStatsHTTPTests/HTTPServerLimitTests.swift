import BlogStatsHTTP
import Foundation
import Testing

@Suite struct HTTPServerLimitTests {
    private func limitedServer(_ calls: CallCounter, log: LineCollector? = nil) throws -> HTTPServer {
        try TestServer.start(configure: {
            $0.maxBodyBytes = 1000
            if let log { $0.accessLog = { log.append($0) } }
        }) { request in
            calls.increment()
            return HTTPResponse(status: 200, body: .bytes(request.body))
        }
    }

    private let tooLarge = #"{"error":"request body is larger than the limit of 1000 bytes"}"#

    @Test func contentLengthOverLimitIs413WithoutHandler() throws {
        let calls = CallCounter()
        let server = try limitedServer(calls)
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let big = try directory.write("big", TestServer.bytes(5000))
        let result = try Curl.run("http://127.0.0.1:\(server.port)/up", ["--data-binary", "@\(big)"])
        #expect(result.status == 413, "\(result.stderr)")
        #expect(result.text == tooLarge)
        #expect(calls.value == 0)

        // At the limit exactly is fine: proves the handler is reachable in this setup.
        let exact = try directory.write("exact", TestServer.bytes(1000))
        let ok = try Curl.run("http://127.0.0.1:\(server.port)/up", ["--data-binary", "@\(exact)"])
        #expect(ok.status == 200)
        #expect(ok.body.count == 1000)
        #expect(calls.value == 1)
    }

    @Test func oversizedExpectContinueGets413BeforeAnyBody() throws {
        let calls = CallCounter()
        let server = try limitedServer(calls)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send(
            "POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 100000000\r\nExpect: 100-continue\r\n\r\n")
        let reply = client.receive(until: tooLarge)
        #expect(reply.hasPrefix("HTTP/1.1 413"), "got: \(reply)")
        #expect(!reply.contains("100 Continue"))
        #expect(reply.hasSuffix(tooLarge))
        #expect(calls.value == 0)

        // Control: a small body with Expect gets 100 Continue.
        let small = try RawHTTPClient(port: server.port)
        try small.send("POST /up HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\nExpect: 100-continue\r\n\r\n")
        #expect(small.receive(until: "\r\n\r\n").hasPrefix("HTTP/1.1 100 Continue"))
        try small.send("hi")
        #expect(small.receive(until: "\r\n\r\nhi").hasPrefix("HTTP/1.1 200"))
    }

    @Test func chunkedOverflowIs413WithoutHandler() throws {
        let calls = CallCounter()
        let log = LineCollector()
        let server = try limitedServer(calls, log: log)
        defer { server.stop() }
        let directory = try TemporaryDirectory()
        let big = try directory.write("big", TestServer.bytes(50_000))
        let result = try Curl.run(
            "http://127.0.0.1:\(server.port)/up", ["-H", "Transfer-Encoding: chunked", "--data-binary", "@\(big)"])
        #expect(result.status == 413, "\(result.stderr)")
        #expect(result.text == tooLarge)
        #expect(calls.value == 0)
        #expect(log.all.contains { $0.hasPrefix("127.0.0.1 POST /up 413 ") })

        let small = try directory.write("small", TestServer.bytes(999))
        let ok = try Curl.run(
            "http://127.0.0.1:\(server.port)/up", ["-H", "Transfer-Encoding: chunked", "--data-binary", "@\(small)"])
        #expect(ok.status == 200)
        #expect(ok.body.count == 999)
        #expect(calls.value == 1)
    }

    @Test func endlessChunkedUploadIsCutOff() throws {
        let calls = CallCounter()
        let server = try limitedServer(calls)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /up HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n")
        let chunk = "4000\r\n" + String(repeating: "a", count: 0x4000) + "\r\n"
        var sendFailed = false
        // The server drains a bounded amount (1 MiB here) and then hangs up.
        for _ in 0..<200 where !sendFailed {
            do { try client.send(chunk) } catch { sendFailed = true }
        }
        if !sendFailed { #expect(client.receive() == "", "connection closed without a reply") }
        #expect(calls.value == 0)
    }

    @Test func postWithoutLengthIs411() throws {
        let calls = CallCounter()
        let server = try limitedServer(calls)
        defer { server.stop() }
        let client = try RawHTTPClient(port: server.port)
        try client.send("POST /up HTTP/1.1\r\nHost: x\r\n\r\n")
        let reply = client.receive(until: "required\"}")
        #expect(reply.hasPrefix("HTTP/1.1 411"), "got: \(reply)")
        #expect(reply.hasSuffix(#"{"error":"Content-Length is required"}"#))
        #expect(calls.value == 0)

        // A GET needs no length.
        let get = try Curl.run("http://127.0.0.1:\(server.port)/")
        #expect(get.status == 200)
        #expect(calls.value == 1)
    }
}
