import Foundation
import Testing

/// How a push body may be framed on the wire.
@Suite struct RequestFramingTests {
    /// libmicrohttpd decodes `Transfer-Encoding: chunked`; such a body is as good as one with a
    /// Content-Length (411 is for a POST with neither).
    @Test func aChunkedUploadIsAccepted() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let body = CSVBody([("a", "alpha", 4, "Alpha, \"A\""), ("b", "", 0, "")])
        let answer = try await Curl.push(receiver.url("/stats"), body.text, headers: ["Transfer-Encoding: chunked"])
        #expect(answer.status == 200, "\(answer.summary)")
        #expect(answer.object?["rows"] as? Int == 2, "\(answer.summary)")
        #expect(try await receiver.store.json(StoreFile.namesByID).contains(#""title":"Alpha, \"A\"""#))
    }
}
