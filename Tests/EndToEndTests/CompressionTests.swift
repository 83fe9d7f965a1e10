import Foundation
import Testing

/// Text answers are gzipped for clients that accept it, and only for them.
@Suite struct CompressionTests {
    @Test func pagesAndJSONAreGzippedWhenAccepted() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let rows = (0..<200).map {
            (String(format: "p%04d", $0), "slug-\($0)", $0 * 3, "A fairly long title number \($0)")
        }
        let pushed = try await Curl.push(receiver.url("/stats"), CSVBody(rows).text)
        #expect(pushed.status == 200, "\(pushed.summary)")

        let document = receiver.url("/api/v1/openapi.json")
        let zipped = try await Shell.run(
            "curl", ["-s", "-H", "Accept-Encoding: gzip", "-D", "-", "-o", "/dev/null", document])
        #expect(zipped.output.lowercased().contains("content-encoding: gzip"), "\(zipped.output)")
        // curl --compressed inflates it again: the same document as without compression.
        let inflated = try await Shell.run("curl", ["-s", "--compressed", document])
        let plain = try await Shell.run("curl", ["-s", "-H", "Accept-Encoding: identity", document])
        #expect(!plain.output.isEmpty && inflated.output == plain.output)
        let refused = try await Shell.run(
            "curl", ["-s", "-H", "Accept-Encoding: gzip;q=0", "-D", "-", "-o", "/dev/null", document])
        #expect(!refused.output.lowercased().contains("content-encoding"), "\(refused.output)")

        let page = try await Shell.run("curl", ["-s", "--compressed", "-D", "-", receiver.url("/")])
        #expect(page.output.lowercased().contains("content-encoding: gzip"))
        #expect(page.output.contains("slug-") || page.output.contains("<svg"), "the page inflates to HTML")
    }
}
