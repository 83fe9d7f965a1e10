import Foundation
import Testing

/// Pushes without a capture time are stamped with the time of receipt; of two in the same
/// second the later wins, and the store must look as if only that one had arrived.
@Suite struct SameSecondPushTests {
    static let s0 = CSVBody([("a", "s", 1, "A"), ("b", "t", 2, "B")])
    /// Brings a new post c…
    static let s1 = CSVBody([("a", "s", 5, "A"), ("b", "t", 2, "B"), ("c", "u", 3, "C")])
    /// …which the later push of the same second does not have.
    static let s2 = CSVBody([("a", "s", 7, "A"), ("b", "t", 2, "B")])
    static let s3 = CSVBody([("a", "s", 7, "A"), ("b", "t", 2, "B"), ("c", "u", 4, "C")])

    @Test func theLaterPushOfASecondWinsAndLeavesNoTraceOfTheEarlierOne() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let t0 = CaptureTime.now() - 600
        var blog = ""
        var time: Int64 = 0
        var second: [String: Any]? = nil
        // Both pushes go through one curl run (`--next`, one connection), so they land in the
        // same second unless the machine is very slow; try a few times.
        for attempt in 1...3 {
            blog = "same-\(attempt)"
            let stats = receiver.url("/stats?blog=\(blog)")
            let base = try await Curl.push(stats, Self.s0.text, headers: [CaptureTime.header(t0)])
            try #require(base.status == 200, "\(base.summary)")
            while Date().timeIntervalSince1970.truncatingRemainder(dividingBy: 1) > 0.2 {
                try await Task.sleep(for: .milliseconds(5))
            }
            let answers = try await Self.pushTwice(stats, Self.s1.text, Self.s2.text, in: directory)
            let firstTime = answers.first["captured_at"] as? String
            if let firstTime, firstTime == answers.later["captured_at"] as? String {
                time = try #require(CaptureTime.parse(firstTime))
                second = answers.later
                break
            }
        }
        let later = try #require(second, "two pushes within one second")
        // Compared with the snapshot before it (t0), as if the earlier push never happened.
        #expect(
            JSON.canonical(later)
                == JSON.canonical(
                    [
                        "blog": blog, "captured_at": CaptureTime.format(time), "rows": 2, "changed": 1, "new": 0,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))

        // c appears for the first time a second later: it is new, first seen then.
        let next = try await Curl.push(
            receiver.url("/stats?blog=\(blog)"), Self.s3.text, headers: [CaptureTime.header(time + 1)])
        #expect(
            next.canonical
                == JSON.canonical(
                    [
                        "blog": blog, "captured_at": CaptureTime.format(time + 1), "rows": 3, "changed": 0, "new": 1,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))

        let inBlog = "JOIN blogs b USING(blog_key) WHERE b.name = '\(blog)'"
        let store = receiver.store
        expectSame(
            try await store.json("SELECT p.id, p.first_seen FROM posts p \(inBlog) ORDER BY 1"),
            JSON.canonical([
                ["id": "a", "first_seen": t0], ["id": "b", "first_seen": t0], ["id": "c", "first_seen": time + 1],
            ]))
        expectSame(
            try await store.json(
                "SELECT p.id, s.t, s.views FROM samples s JOIN posts p USING(post_key) \(inBlog) ORDER BY 1, 2"),
            JSON.canonical([
                ["id": "a", "t": t0, "views": 1], ["id": "a", "t": time, "views": 7],
                ["id": "b", "t": t0, "views": 2], ["id": "c", "t": time + 1, "views": 4],
            ]))
        expectSame(
            try await store.json("SELECT s.t, s.rows, s.total_views, s.gained FROM snapshots s \(inBlog) ORDER BY 1"),
            JSON.canonical([
                ["t": t0, "rows": 2, "total_views": 3, "gained": 0],
                ["t": time, "rows": 2, "total_views": 9, "gained": 6],
                ["t": time + 1, "rows": 3, "total_views": 13, "gained": 4],
            ]))
    }

    /// Two pushes back to back on one connection; both must be answered 200.
    static func pushTwice(
        _ url: String, _ first: String, _ later: String, in directory: TemporaryDirectory
    ) async throws -> (first: [String: Any], later: [String: Any]) {
        let one = try directory.write("first.csv", first)
        let two = try directory.write("later.csv", later)
        let (out1, out2) = (directory.path("first.json"), directory.path("later.json"))
        let common = ["-s", "-S", "-m", "30", "-X", "POST", "-H", "Content-Type: text/csv", "-w", "%{http_code}\n"]
        let result = try await Shell.run(
            "curl",
            common + ["--data-binary", "@" + one, "-o", out1, url, "--next"]
                + common + ["--data-binary", "@" + two, "-o", out2, url])
        try #require(result.status == 0 && result.output == "200\n200\n", "\(result.summary)")
        let firstBody = FileManager.default.contents(atPath: out1) ?? Data()
        let laterBody = FileManager.default.contents(atPath: out2) ?? Data()
        return (
            JSON.parse(firstBody) as? [String: Any] ?? [:], JSON.parse(laterBody) as? [String: Any] ?? [:]
        )
    }
}
