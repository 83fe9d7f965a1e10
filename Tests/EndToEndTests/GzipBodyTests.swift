import Foundation
import Testing

/// `Content-Encoding: gzip` bodies made with the real `gzip`, including ones built to hurt.
@Suite struct GzipBodyTests {
    /// `count` rows with distinct ids, as sqlite3 would write them.
    static func rows(_ count: Int) -> CSVBody {
        CSVBody(
            (0..<count).map { index in
                (String(format: "id%08d", index), "slug-\(index)", index % 1000, "Title number \(index), with a comma")
            })
    }

    static func gzip(_ data: Data, in directory: TemporaryDirectory, name: String) async throws -> Data {
        let plain = try directory.write(name, data)
        let result = try await Shell.run("gzip", ["-c", "-9", plain])
        try #require(result.status == 0, "\(result.summary)")
        return result.stdout
    }

    @Test func gzipBodiesAcceptedUpToTheLimitAfterInflation() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db", arguments: ["--max-body", "1M"])
        let now = CaptureTime.now()

        let small = Self.rows(500)
        let smallGzip = try await Self.gzip(Data(small.text.utf8), in: directory, name: "small.csv")
        let answer = try await Curl.push(
            receiver.url("/stats"), smallGzip, headers: ["Content-Encoding: gzip", CaptureTime.header(now - 60)])
        #expect(answer.status == 200, "\(answer.summary)")
        #expect(
            answer.canonical
                == JSON.canonical(
                    [
                        "blog": "default", "captured_at": CaptureTime.format(now - 60), "rows": 500, "changed": 0,
                        "new": 500,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
                    ] as [String: Any]))
        expectSame(
            try await receiver.store.json("SELECT rows, total_views FROM snapshots"),
            JSON.canonical([["rows": 500, "total_views": small.totalViews]]))
        expectSame(
            try await receiver.store.json(
                "SELECT title FROM names n JOIN posts p USING(post_key) WHERE p.id = 'id00000499'"),
            #"[{"title":"Title number 499, with a comma"}]"#)

        // Just under 1 MiB once inflated: still accepted.
        var large = Self.rows(17_000)
        while large.text.utf8.count > 1_048_576 - 200 { large.rows.removeLast(100) }
        let largeText = large.text
        #expect(largeText.utf8.count > 1_000_000)
        let largeGzip = try await Self.gzip(Data(largeText.utf8), in: directory, name: "large.csv")
        let accepted = try await Curl.push(
            receiver.url("/stats"), largeGzip, headers: ["Content-Encoding: gzip", CaptureTime.header(now - 30)])
        #expect(accepted.status == 200, "\(largeText.utf8.count) bytes inflated: \(accepted.summary)")
        #expect(accepted.object?["rows"] as? Int == large.rows.count)
    }

    @Test func zipBombsAreRefusedWith413AndNothingStored() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db", arguments: ["--max-body", "1M"])
        let baseline = try await Curl.push(receiver.url("/stats"), CSVBody([("a", "s", 1, "A")]).text)
        try #require(baseline.status == 200, "\(baseline.summary)")
        let before = try await receiver.store.dump()

        // 50 MB of zeros and 50 MB of one repeated CSV row, each a few dozen KB compressed.
        let bombs = try await Shell.bash(
            """
            head -c 50000000 /dev/zero | gzip -c -9 > '\(directory.path("zeros.gz"))'
            (yes 'abcdefghij,some-slug,12345,A title that repeats' || true) | head -c 50000000 | gzip -c -9 > '\(directory.path("rows.gz"))'
            stat -c %s '\(directory.path("zeros.gz"))' '\(directory.path("rows.gz"))'
            """)
        try #require(bombs.status == 0, "\(bombs.summary)")
        for name in ["zeros.gz", "rows.gz"] {
            let bomb = try #require(directory.read(name))
            #expect(bomb.count < 1_048_576, "\(name) is under the raw limit (\(bomb.count) bytes)")
            let started = ContinuousClock.now
            let answer = try await Curl.push(
                receiver.url("/stats"), bomb,
                headers: ["Content-Encoding: gzip", CaptureTime.header(CaptureTime.now() - 5)])
            #expect(answer.status == 413, "\(name): \(answer.summary)")
            #expect(answer.errorLocation == "{}", "\(name): \(answer.summary)")
            #expect(ContinuousClock.now - started < .seconds(5), "\(name): refused without inflating it all")
        }
        expectSame(try await receiver.store.dump(), before)
        let health = try await Curl.request(receiver.url("/healthz"))
        #expect(health.status == 200, "still serving after the bombs: \(health.summary)")
    }

    @Test func corruptGzipIsA400() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db", arguments: ["--max-body", "1M"])
        let baseline = try await Curl.push(receiver.url("/stats"), CSVBody([("a", "s", 1, "A")]).text)
        try #require(baseline.status == 200, "\(baseline.summary)")
        let before = try await receiver.store.dump()

        let text = Data(Self.rows(300).text.utf8)
        let valid = try await Self.gzip(text, in: directory, name: "rows.csv")
        var flipped = valid
        for index in stride(from: valid.count / 3, to: valid.count / 3 + 40, by: 3) { flipped[index] ^= 0x5A }
        var badChecksum = valid
        badChecksum[valid.count - 6] ^= 0xFF  // in the CRC-32 of the trailer
        let bodies: [(String, Data)] = [
            ("bytes flipped in the deflate stream", flipped),
            ("a wrong CRC-32 in the trailer", badChecksum),
            ("cut in half", valid.prefix(valid.count / 2)),
            ("not gzip at all", text),
        ]
        for (why, body) in bodies {
            let answer = try await Curl.push(
                receiver.url("/stats"), body,
                headers: ["Content-Encoding: gzip", CaptureTime.header(CaptureTime.now() - 5)])
            #expect(answer.status == 400, "\(why): \(answer.summary)")
            #expect(answer.errorLocation == #"{"field":"Content-Encoding"}"#, "\(why): \(answer.summary)")
        }
        expectSame(try await receiver.store.dump(), before)
    }
}
