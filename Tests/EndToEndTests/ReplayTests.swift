import Foundation
import Testing

/// Replays and late snapshots: the same snapshot twice is a no-op, a different one at the same
/// time is a conflict, and arrival order never changes what is stored.
@Suite struct ReplayTests {
    static let snapshots: [CSVBody] = [
        CSVBody([("a", "alpha", 10, "Alpha"), ("b", "beta", 5, "Beta"), ("c", "gamma", 1, "Gamma")]),
        // b's slug edited, c deleted, d written.
        CSVBody([("a", "alpha", 12, "Alpha"), ("b", "beta-2", 5, "Beta"), ("d", "delta", 3, "Delta")]),
        // a restored from a backup (a reset) and retitled, c back.
        CSVBody([
            ("a", "alpha", 11, "Alpha!"), ("b", "beta-2", 7, "Beta"), ("c", "gamma", 4, "Gamma"),
            ("d", "delta", 3, "Delta"),
        ]),
        // d deleted; a's title and b's slug back to what they were.
        CSVBody([("a", "alpha", 15, "Alpha"), ("b", "beta", 7, "Beta"), ("c", "gamma", 4, "Gamma")]),
    ]

    static func push(_ receiver: ReceiverProcess, blog: String, _ index: Int, base: Int64) async throws -> HTTPAnswer {
        try await Curl.push(
            receiver.url("/stats?blog=\(blog)"), snapshots[index].text,
            headers: [CaptureTime.header(base + Int64(index) * 60)])
    }

    /// Everything stored for one blog, by post id.
    static func stored(_ store: StoreFile, blog: String) async throws -> [String] {
        let inBlog = "JOIN blogs b USING(blog_key) WHERE b.name = '\(blog)'"
        return [
            try await store.json(
                "SELECT p.id, s.t, s.views FROM samples s JOIN posts p USING(post_key) \(inBlog) ORDER BY 1, 2"),
            try await store.json(
                "SELECT p.id, n.t, n.slug, n.title FROM names n JOIN posts p USING(post_key) \(inBlog) ORDER BY 1, 2"),
            try await store.json("SELECT p.id, p.first_seen FROM posts p \(inBlog) ORDER BY 1"),
            try await store.json("SELECT s.t, s.rows, s.total_views, s.gained FROM snapshots s \(inBlog) ORDER BY 1"),
        ]
    }

    /// What in-order arrival of the first `count` snapshots stores (worked out by hand).
    static func expected(base: Int64, count: Int) -> [String] {
        let t = (0..<4).map { base + Int64($0) * 60 }
        let samples: [[String: Any]] = [
            ["id": "a", "t": t[0], "views": 10], ["id": "a", "t": t[1], "views": 12],
            ["id": "a", "t": t[2], "views": 11],
            ["id": "a", "t": t[3], "views": 15],
            ["id": "b", "t": t[0], "views": 5], ["id": "b", "t": t[2], "views": 7],
            ["id": "c", "t": t[0], "views": 1], ["id": "c", "t": t[1], "views": NSNull()],
            ["id": "c", "t": t[2], "views": 4],
            ["id": "d", "t": t[1], "views": 3], ["id": "d", "t": t[3], "views": NSNull()],
        ]
        let names: [[String: Any]] = [
            ["id": "a", "t": t[0], "slug": "alpha", "title": "Alpha"],
            ["id": "a", "t": t[2], "slug": "alpha", "title": "Alpha!"],
            ["id": "a", "t": t[3], "slug": "alpha", "title": "Alpha"],
            ["id": "b", "t": t[0], "slug": "beta", "title": "Beta"],
            ["id": "b", "t": t[1], "slug": "beta-2", "title": "Beta"],
            ["id": "b", "t": t[3], "slug": "beta", "title": "Beta"],
            ["id": "c", "t": t[0], "slug": "gamma", "title": "Gamma"],
            ["id": "d", "t": t[1], "slug": "delta", "title": "Delta"],
        ]
        let posts: [[String: Any]] = [
            ["id": "a", "first_seen": t[0]], ["id": "b", "first_seen": t[0]], ["id": "c", "first_seen": t[0]],
            ["id": "d", "first_seen": t[1]],
        ]
        // Gains: 2 (a) + 3 (new d); 0 (a's reset) + 2 (b) + 3 (c from its last known 1); 4 (a).
        let snapshots: [[String: Any]] = [
            ["t": t[0], "rows": 3, "total_views": 16, "gained": 0],
            ["t": t[1], "rows": 3, "total_views": 20, "gained": 5],
            ["t": t[2], "rows": 4, "total_views": 25, "gained": 5],
            ["t": t[3], "rows": 3, "total_views": 26, "gained": 4],
        ]
        let times = Set(t.prefix(count))
        func within(_ rows: [[String: Any]], _ key: String) -> [[String: Any]] {
            rows.filter { times.contains($0[key] as! Int64) }
        }
        return [
            JSON.canonical(within(samples, "t")), JSON.canonical(within(names, "t")),
            JSON.canonical(within(posts, "first_seen")), JSON.canonical(within(snapshots, "t")),
        ]
    }

    @Test func sameTimeSameContentIsADuplicateDifferentContentIsAConflict() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        let time = CaptureTime.now() - 300
        let body = Self.snapshots[0]
        let first = try await Curl.push(receiver.url("/stats"), body.text, headers: [CaptureTime.header(time)])
        #expect(first.status == 200, "\(first.summary)")
        #expect(first.object?["duplicate"] as? Bool == false)
        let stored = try await receiver.store.dump()

        let again = try await Curl.push(receiver.url("/stats"), body.text, headers: [CaptureTime.header(time)])
        #expect(again.status == 200, "\(again.summary)")
        #expect(
            again.canonical
                == JSON.canonical(
                    [
                        "blog": "default", "captured_at": CaptureTime.format(time), "rows": 3, "changed": 0, "new": 0,
                        "removed": 0, "returned": 0, "resets": 0, "duplicate": true,
                    ] as [String: Any]))
        // The same rows in another order, with LF line ends: still the same snapshot.
        let reordered = CSVBody(body.rows.reversed()).text.replacingOccurrences(of: "\r\n", with: "\n")
        let shuffled = try await Curl.push(receiver.url("/stats"), reordered, headers: [CaptureTime.header(time)])
        #expect(shuffled.status == 200, "\(shuffled.summary)")
        #expect(shuffled.object?["duplicate"] as? Bool == true, "\(shuffled.summary)")
        expectSame(try await receiver.store.dump(), stored)

        var otherCount = body
        otherCount.rows[0].views += 1
        var otherTitle = body
        otherTitle.rows[1].title = "Beta, renamed"
        var fewerRows = body
        fewerRows.rows.removeLast()
        for (why, conflicting) in [("a count", otherCount), ("a title", otherTitle), ("a row less", fewerRows)] {
            let answer = try await Curl.push(
                receiver.url("/stats"), conflicting.text, headers: [CaptureTime.header(time)])
            #expect(answer.status == 409, "\(why): \(answer.summary)")
            #expect(
                answer.errorLocation == "{}" && answer.errorMessage.contains(CaptureTime.format(time)),
                "\(answer.summary)")
        }
        expectSame(try await receiver.store.dump(), stored)
        let log = receiver.log
        #expect(log.contains("POST /stats 200 ") && log.contains(" duplicate"), "\(log)")
    }

    @Test func duplicatesAndConflictsAreRecognisedAfterARestart() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(in: directory)
        let base = CaptureTime.now() - 600
        for index in [0, 1] {
            let answer = try await Self.push(receiver, blog: "default", index, base: base)
            #expect(answer.status == 200, "\(answer.summary)")
        }
        expectSame(try await receiver.terminate().status, 0)
        try await receiver.restart()
        let stored = try await receiver.store.dump()
        for index in [0, 1] {
            let again = try await Self.push(receiver, blog: "default", index, base: base)
            #expect(again.status == 200 && again.object?["duplicate"] as? Bool == true, "\(again.summary)")
        }
        let conflict = try await Curl.push(
            receiver.url("/stats"), Self.snapshots[2].text, headers: [CaptureTime.header(base + 60)])
        #expect(conflict.status == 409, "\(conflict.summary)")
        expectSame(try await receiver.store.dump(), stored)
        // And the series goes on from where it was.
        let next = try await Self.push(receiver, blog: "default", 2, base: base)
        #expect(next.status == 200, "\(next.summary)")
        expectSame(try await Self.stored(receiver.store, blog: "default"), Self.expected(base: base, count: 3))
    }

    /// The brief's case: three snapshots in order into store A, in the order 1, 3, 2 into store B.
    @Test func outOfOrderArrivalStoresWhatInOrderArrivalStores() async throws {
        let directory = try TemporaryDirectory()
        let base = CaptureTime.now() - 3600
        let inOrder = try await ReceiverProcess(in: directory, store: "a.db")
        let outOfOrder = try await ReceiverProcess(in: directory, store: "b.db")
        for index in [0, 1, 2] {
            let answer = try await Self.push(inOrder, blog: "default", index, base: base)
            #expect(answer.status == 200, "\(answer.summary)")
        }
        for index in [0, 2, 1] {
            let answer = try await Self.push(outOfOrder, blog: "default", index, base: base)
            #expect(answer.status == 200, "\(answer.summary)")
            #expect(answer.object?["duplicate"] as? Bool == false)
        }
        let a = try await Self.stored(inOrder.store, blog: "default")
        let b = try await Self.stored(outOfOrder.store, blog: "default")
        #expect(a == Self.expected(base: base, count: 3))
        for (table, (left, right)) in zip(["samples", "names", "posts", "snapshots"], zip(a, b)) {
            #expect(left == right, "\(table) differ:\nin order:     \(left)\nout of order: \(right)")
        }
    }

    /// All 24 orders of the four snapshots.
    static let orders: [[Int]] = permutations([0, 1, 2, 3])

    static func permutations(_ items: [Int]) -> [[Int]] {
        guard items.count > 1 else { return [items] }
        return items.indices.flatMap { index in
            var rest = items
            let first = rest.remove(at: index)
            return permutations(rest).map { [first] + $0 }
        }
    }

    /// Every arrival order of four snapshots stores the in-order result.
    @Test func anyArrivalOrderStoresTheInOrderSeries() async throws {
        let directory = try TemporaryDirectory()
        let base = CaptureTime.now() - 3600
        let receiver = try await ReceiverProcess(in: directory, store: "store.db")
        for order in Self.orders {
            let blog = "order-" + order.map(String.init).joined()
            for index in order {
                let answer = try await Self.push(receiver, blog: blog, index, base: base)
                #expect(answer.status == 200, "\(blog): \(answer.summary)")
            }
        }
        let expected = Self.expected(base: base, count: 4)
        for order in Self.orders {
            let blog = "order-" + order.map(String.init).joined()
            let stored = try await Self.stored(receiver.store, blog: blog)
            for (table, (want, got)) in zip(["samples", "names", "posts", "snapshots"], zip(expected, stored)) {
                #expect(want == got, "\(blog) \(table):\nin order: \(want)\nstored:   \(got)")
            }
        }
    }

    @Test func captureTimesWithinTheAllowedSkewAndAgeAreAccepted() async throws {
        let directory = try TemporaryDirectory()
        let receiver = try await ReceiverProcess(
            in: directory, store: "store.db", arguments: ["--max-skew", "2m", "--max-age", "2d"])
        let now = CaptureTime.now()
        for (offset, status) in [(Int64(60), 200), (300, 400), (-86_400, 200), (-3 * 86_400, 400)] {
            let answer = try await Curl.push(
                receiver.url("/stats"), Self.snapshots[0].text, headers: [CaptureTime.header(now + offset)])
            #expect(answer.status == status, "offset \(offset) s: \(answer.summary)")
        }
        expectSame(
            try await receiver.store.json("SELECT t FROM snapshots ORDER BY t"),
            JSON.canonical([["t": now - 86_400], ["t": now + 60]]))
    }
}
