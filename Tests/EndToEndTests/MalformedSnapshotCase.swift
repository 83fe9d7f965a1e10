import Foundation
import Testing

/// A request the receiver must refuse, and where its answer must point.
struct MalformedSnapshotCase: Sendable, CustomTestStringConvertible {
    var name: String
    var body: [UInt8]
    var headers: [String] = []
    /// Seconds from now for `X-Blogstats-Captured-At` (replaces any such header in `headers`).
    var capturedAtOffset: Int64? = nil
    var receiverArguments: [String] = []
    var status: Int
    /// The answer without its `error` message, canonical JSON.
    var location: String
    /// A word the message must contain.
    var word: String

    var testDescription: String { name }

    init(
        _ name: String, _ body: String, headers: [String] = [], capturedAtOffset: Int64? = nil,
        receiverArguments: [String] = [], status: Int = 400, location: String, word: String
    ) {
        self.init(
            name, bytes: Array(body.utf8), headers: headers, capturedAtOffset: capturedAtOffset,
            receiverArguments: receiverArguments, status: status, location: location, word: word)
    }

    init(
        _ name: String, bytes: [UInt8], headers: [String] = [], capturedAtOffset: Int64? = nil,
        receiverArguments: [String] = [], status: Int = 400, location: String, word: String
    ) {
        self.name = name
        self.body = bytes
        self.headers = headers
        self.capturedAtOffset = capturedAtOffset
        self.receiverArguments = receiverArguments
        self.status = status
        self.location = location
        self.word = word
    }

    static let header = "id,slug,view_count,title\r\n"

    static let all: [MalformedSnapshotCase] = [
        MalformedSnapshotCase(
            "unterminated quote", header + "abc,s,1,ok\r\ndef,t,2,\"never closed\r\nghi,u,3,x\r\n",
            location: #"{"column":4,"line":3}"#, word: "unterminated"),
        MalformedSnapshotCase(
            "text after a closing quote", header + "abc,s,1,\"say \"hi\"\"\r\n",
            location: #"{"column":4,"line":2}"#, word: "quote"),
        MalformedSnapshotCase(
            "view_count not a number", header + "abc,s,1,ok\r\ndef,t,12a,x\r\n",
            location: #"{"column":3,"field":"view_count","line":3}"#, word: "12a"),
        MalformedSnapshotCase(
            "negative view_count", header + "abc,s,-1,ok\r\n",
            location: #"{"column":3,"field":"view_count","line":2}"#, word: "-1"),
        MalformedSnapshotCase(
            "view_count beyond 64 bits", header + "abc,s,99999999999999999999,ok\r\n",
            location: #"{"column":3,"field":"view_count","line":2}"#, word: "view_count"),
        MalformedSnapshotCase(
            "duplicate id", header + "abc,s,1,ok\r\ndef,t,2,x\r\nabc,u,3,y\r\n",
            location: #"{"column":1,"field":"id","line":4}"#, word: "duplicate"),
        MalformedSnapshotCase(
            "empty id", header + "abc,s,1,ok\r\n,t,2,x\r\n",
            location: #"{"column":1,"field":"id","line":3}"#, word: "id"),
        MalformedSnapshotCase(
            "missing view_count column", "id,slug,title\r\nabc,s,ok\r\n",
            location: #"{"field":"view_count","line":1}"#, word: "view_count"),
        MalformedSnapshotCase(
            "invalid UTF-8 in a title",
            bytes: Array((header + "abc,s,1,ok\r\ndef,t,2,caf").utf8) + [0xC3, 0x28] + Array("\r\n".utf8),
            location: #"{"column":4,"field":"title","line":3}"#, word: "UTF-8"),
        MalformedSnapshotCase(
            "a row with too many columns", header + "abc,s,1,ok\r\ndef,t,2,x,extra\r\n",
            location: #"{"column":5,"line":3}"#, word: "columns"),
        MalformedSnapshotCase(
            "a row with too few columns", header + "abc,s,1\r\n",
            location: #"{"column":4,"line":2}"#, word: "columns"),
        MalformedSnapshotCase(
            "no header and three columns", "abc,s,1\r\n",
            location: #"{"line":1}"#, word: "columns"),
        MalformedSnapshotCase(
            "invalid blog name in a blog column",
            "id,slug,view_count,title,blog\r\nabc,s,1,ok,notes\r\ndef,t,2,x,no way!\r\n",
            location: #"{"field":"blog","line":3}"#, word: "blog"),
        MalformedSnapshotCase(
            "empty body", "", location: "{}", word: "empty"),
        MalformedSnapshotCase(
            "Content-Type application/json", header + "abc,s,1,ok\r\n", headers: ["Content-Type: application/json"],
            status: 415, location: #"{"field":"Content-Type"}"#, word: "text/csv"),
        MalformedSnapshotCase(
            "curl's default form Content-Type", header + "abc,s,1,ok\r\n",
            headers: ["Content-Type: application/x-www-form-urlencoded"],
            status: 415, location: #"{"field":"Content-Type"}"#, word: "text/csv"),
        MalformedSnapshotCase(
            "Content-Encoding br", header + "abc,s,1,ok\r\n", headers: ["Content-Encoding: br"],
            status: 415, location: #"{"field":"Content-Encoding"}"#, word: "br"),
        MalformedSnapshotCase(
            "captured-at not RFC 3339", header + "abc,s,1,ok\r\n", headers: ["X-Blogstats-Captured-At: yesterday"],
            location: #"{"field":"X-Blogstats-Captured-At"}"#, word: "RFC 3339"),
        MalformedSnapshotCase(
            "captured-at an hour in the future", header + "abc,s,1,ok\r\n", capturedAtOffset: 3600,
            location: #"{"field":"X-Blogstats-Captured-At"}"#, word: "future"),
        MalformedSnapshotCase(
            "captured-at older than --max-age", header + "abc,s,1,ok\r\n", capturedAtOffset: -91 * 86_400,
            location: #"{"field":"X-Blogstats-Captured-At"}"#, word: "older"),
        MalformedSnapshotCase(
            // `Content-Length:` with no value makes curl leave the header out.
            "no Content-Length", header + "abc,s,1,ok\r\n", headers: ["Content-Length:"],
            status: 411, location: "{}", word: "Content-Length"),
        MalformedSnapshotCase(
            "body over --max-body",
            header + String(repeating: "abcdefghij,slug,1,A title of some length\r\n", count: 2000),
            receiverArguments: ["--max-body", "64K"], status: 413, location: "{}", word: "limit"),
    ]
}
