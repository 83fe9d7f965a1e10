import Foundation
import Testing

/// `GET /healthz` and the answers for paths and methods that do not exist.
@Suite struct HealthTests {
    @Test func healthzReportsWritabilityAndTheLastSnapshotOfEachBlog() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let empty = try await Curl.request(receiver.url("/healthz"))
        #expect(empty.status == 200, "\(empty.summary)")
        #expect(empty.headers["content-type"]?.hasPrefix("application/json") == true, "\(empty.headers)")
        #expect(empty.canonical == #"{"blogs":[],"status":"ok","writable":true}"#)

        let now = CaptureTime.now()
        for (blog, offset) in [("zeta", -60), ("alpha", -30), ("alpha", -90), ("zeta", -120)] as [(String, Int64)] {
            let answer = try await Curl.push(
                receiver.url("/stats?blog=\(blog)"), CSVBody([("p", "s", Int(-offset), "T")]).text,
                headers: [CaptureTime.header(now + offset)])
            #expect(answer.status == 200, "\(answer.summary)")
        }
        let health = try await Curl.request(receiver.url("/healthz"))
        #expect(health.status == 200, "\(health.summary)")
        #expect(
            health.canonical
                == JSON.canonical(
                    [
                        "status": "ok", "writable": true,
                        "blogs": [
                            ["blog": "alpha", "last_snapshot": CaptureTime.format(now - 30)],
                            ["blog": "zeta", "last_snapshot": CaptureTime.format(now - 60)],
                        ],
                    ] as [String: Any]))
        let line = try await receiver.waitForLine(containing: "GET /healthz")
        #expect(line?.hasPrefix("127.0.0.1 GET /healthz 200 ") == true, "\(receiver.log)")
    }

    @Test func wrongMethodsAndUnknownPaths() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let getStats = try await Curl.request(receiver.url("/stats"))
        #expect(getStats.status == 405, "\(getStats.summary)")
        #expect(getStats.headers["allow"] == "POST")
        let postHealth = try await Curl.request(receiver.url("/healthz"), method: "POST", body: Data("x".utf8))
        #expect(postHealth.status == 405, "\(postHealth.summary)")
        #expect(postHealth.headers["allow"] == "GET, HEAD")
        let missing = try await Curl.request(receiver.url("/nope"))
        #expect(missing.status == 404, "\(missing.summary)")
        #expect(missing.object?["error"] is String)
        let alias = try await Curl.push(receiver.url("/api/v1/snapshots"), CSVBody([("p", "s", 1, "T")]).text)
        #expect(alias.status == 200, "the /api/v1/snapshots alias: \(alias.summary)")
    }
}
