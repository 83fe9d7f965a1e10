import Foundation
import Testing

/// The same snapshot written the ways a collector might write it is stored the same way.
@Suite struct SnapshotBodyVariantsTests {
    static let variants: [(String, [UInt8])] = [
        ("sqlite3 CSV", Array("id,slug,view_count,title\r\nx1,one,3,\"One, \"\"1\"\"\"\r\nx2,,0,\r\n".utf8)),
        (
            "BOM, LF, no final line end",
            [0xEF, 0xBB, 0xBF] + Array("id,slug,view_count,title\nx1,one,3,\"One, \"\"1\"\"\"\nx2,,0,".utf8)
        ),
        (
            "columns reordered, an extra column",
            Array("title,views_today,view_count,id,slug\r\n\"One, \"\"1\"\"\",9,3,x1,one\r\n,9,0,x2,\r\n".utf8)
        ),
        ("no header", Array("x1,one,3,\"One, \"\"1\"\"\"\r\nx2,,0,\r\n".utf8)),
        (
            "every field quoted",
            Array(
                "\"id\",\"slug\",\"view_count\",\"title\"\r\n\"x1\",\"one\",\"3\",\"One, \"\"1\"\"\"\r\n\"x2\",\"\",\"0\",\"\"\r\n"
                    .utf8)
        ),
    ]

    @Test func variantsOfOneSnapshotAreStoredAlike() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let time = CaptureTime.now() - 60
        for (index, (name, body)) in Self.variants.enumerated() {
            let answer = try await Curl.push(
                receiver.url("/stats?blog=v\(index)"), Data(body), headers: [CaptureTime.header(time)])
            #expect(answer.status == 200, "\(name): \(answer.summary)")
            #expect(answer.object?["rows"] as? Int == 2, "\(name): \(answer.summary)")
            let stored = try await receiver.store.json(
                """
                SELECT p.id, s.views, n.slug, n.title FROM posts p JOIN blogs b USING(blog_key)
                  JOIN samples s USING(post_key) JOIN names n USING(post_key) WHERE b.name = 'v\(index)' ORDER BY 1
                """)
            #expect(
                stored
                    == JSON.canonical(
                        [
                            ["id": "x1", "views": 3, "slug": "one", "title": "One, \"1\""],
                            ["id": "x2", "views": 0, "slug": "", "title": ""],
                        ] as [[String: Any]]), "\(name)")
        }
    }

    @Test func aBlogColumnSplitsTheBodyIntoOneSnapshotPerBlog() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let time = CaptureTime.now() - 60
        let body = "id,slug,view_count,title,blog\r\na,s,1,A,notes\r\nb,t,2,B,travel\r\nc,u,3,C,\r\nd,v,4,D,notes\r\n"
        let answer = try await Curl.push(receiver.url("/stats?blog=misc"), body, headers: [CaptureTime.header(time)])
        #expect(answer.status == 200, "\(answer.summary)")
        func summary(_ blog: String, rows: Int) -> [String: Any] {
            [
                "blog": blog, "captured_at": CaptureTime.format(time), "rows": rows, "changed": 0, "new": rows,
                "removed": 0, "returned": 0, "resets": 0, "duplicate": false,
            ]
        }
        #expect(
            answer.canonical
                == JSON.canonical([summary("notes", rows: 2), summary("travel", rows: 1), summary("misc", rows: 1)]))
        expectSame(
            try await receiver.store.json(
                "SELECT b.name, p.id FROM posts p JOIN blogs b USING(blog_key) ORDER BY 1, 2"),
            JSON.canonical([
                ["name": "misc", "id": "c"], ["name": "notes", "id": "a"], ["name": "notes", "id": "d"],
                ["name": "travel", "id": "b"],
            ]))
    }

    @Test func captureTimesWithAnOffsetOrFractionAreStoredAsUTCSeconds() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let time = CaptureTime.now() - 7200
        let utc = CaptureTime.format(time)  // 2026-12-03T15:04:05Z
        // The same instant on a clock one hour east of UTC.
        let plusOne = CaptureTime.format(time + 3600).dropLast() + "+01:00"
        let fraction = utc.dropLast() + ".750Z"
        let first = try await Curl.push(
            receiver.url("/stats"), CSVBody([("a", "s", 1, "A")]).text, headers: ["X-Blogstats-Captured-At: \(plusOne)"]
        )
        #expect(first.status == 200, "\(first.summary)")
        #expect(first.object?["captured_at"] as? String == utc)
        // The same instant written another way is the same capture time: a duplicate.
        let again = try await Curl.push(
            receiver.url("/stats"), CSVBody([("a", "s", 1, "A")]).text,
            headers: ["X-Blogstats-Captured-At: \(fraction)"])
        #expect(again.status == 200 && again.object?["duplicate"] as? Bool == true, "\(again.summary)")
        expectSame(try await receiver.store.json("SELECT t FROM snapshots"), JSON.canonical([["t": time]]))
    }
}
