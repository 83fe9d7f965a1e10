import Foundation
import Testing

/// The read API over a hand-built history (`ReadHistory`): exact buckets, top posts, bad
/// parameters, unknown names, who may read, and buckets in the receiver's time zone.
@Suite struct ReadAPITests {
    static let readToken = "read-token-abcdef0123456789"
    static let pushToken = "push-token-abcdef0123456789"
    static let remote = "X-Forwarded-For: 203.0.113.9"

    /// A receiver holding `ReadHistory`, and its base time.
    static func history(arguments: [String] = []) async throws -> (ReceiverProcess, Int64) {
        let receiver = try await ReceiverProcess(in: try TemporaryDirectory(), arguments: arguments)
        let base = ReadHistory.base()
        _ = try await ReadHistory.push(to: receiver, base: base)
        return (receiver, base)
    }

    static func get(_ receiver: ReceiverProcess, _ path: String, headers: [String] = []) async throws -> HTTPAnswer {
        try await Curl.request(receiver.url(path), headers: headers)
    }

    /// A bucket as the API writes it, `minute` after `base`.
    static func bucket(
        _ base: Int64, _ minute: Int64, _ cumulative: Int?, _ views: Int?, gap: Int? = nil, reset: Bool = false
    ) -> [String: Any] {
        var bucket: [String: Any] = [
            "start": ReadHistory.time(base, minute), "cumulative": cumulative ?? NSNull(), "views": views ?? NSNull(),
        ]
        if let gap { bucket["gap_seconds"] = gap }
        if reset { bucket["reset"] = true }
        return bucket
    }

    static func top(
        _ base: Int64, _ id: String, _ slug: String, _ title: String, views: Int, previous: Int, total: Int?,
        firstSeen: Int64
    ) -> [String: Any] {
        [
            "id": id, "slug": slug, "title": title, "views": views, "previous_views": previous,
            "change": views - previous, "total": total ?? NSNull(), "first_seen": ReadHistory.time(base, firstSeen),
            "removed": total == nil,
        ]
    }

    @Test func blogAndPostSeriesWithBaselineGapResetRemovalAndNewPosts() async throws {
        let (receiver, base) = try await Self.history()
        let window = "from=\(ReadHistory.time(base, 0))&to=\(ReadHistory.time(base, 100))&step=20m"
        func series(_ path: String, _ query: String = window) async throws -> HTTPAnswer {
            let answer = try await Self.get(receiver, path + "?" + query)
            #expect(answer.status == 200, "\(answer.summary)")
            return answer
        }
        func envelope(_ extra: [String: Any], from: Int64 = 0, _ buckets: [[String: Any]]) -> String {
            var object: [String: Any] = [
                "blog": "default", "from": ReadHistory.time(base, from), "to": ReadHistory.time(base, 100),
                "step": 1200, "buckets": buckets,
            ]
            object.merge(extra) { $1 }
            return JSON.canonical(object)
        }
        func names(_ list: [(Int64, String, String)]) -> [[String: Any]] {
            list.map { ["since": ReadHistory.time(base, $0.0), "slug": $0.1, "title": $0.2] }
        }
        let b = { (minute: Int64, cumulative: Int?, views: Int?, gap: Int?, reset: Bool) in
            Self.bucket(base, minute, cumulative, views, gap: gap, reset: reset)
        }

        // The blog: the baseline (150) is in no bucket; d's first 7 views are; the gap is null and
        // the bucket after it carries 20 views over 1200 s; the reset (a: 130 → 30) costs nothing.
        expectSame(
            try await series("/api/v1/blogs/default/series").canonical,
            envelope(
                [:],
                [
                    b(0, 167, 17, nil, false), b(20, 172, 12, nil, false), b(40, nil, nil, nil, false),
                    b(60, 139, 20, 1200, false), b(80, 115, 23, nil, false),
                ]))
        // A window that starts inside the gap: its first data bucket still carries the gap's views.
        expectSame(
            try await series(
                "/api/v1/blogs/default/series",
                "from=\(ReadHistory.time(base, 40))&to=\(ReadHistory.time(base, 100))&step=20m"
            ).canonical,
            envelope(
                [:], from: 40, [b(40, nil, nil, nil, false), b(60, 139, 20, 1200, false), b(80, 115, 23, nil, false)]))

        let posts: [(id: String, extra: [String: Any], buckets: [[String: Any]])] = [
            // a: baseline 100; reset 130 → 30 then 45: views 0 + 15, flagged.
            (
                "a",
                ["first_seen": ReadHistory.time(base, 0), "names": names([(0, "alpha", "Alpha")]), "removed": []],
                [
                    b(0, 110, 10, nil, false), b(20, 115, 5, nil, false), b(40, nil, nil, nil, false),
                    b(60, 130, 15, 1200, false), b(80, 45, 15, nil, true),
                ]
            ),
            // b: missing at 70 (cumulative null, views 0), back at 80 with a new slug: 53 → 60 → 61.
            (
                "b",
                [
                    "first_seen": ReadHistory.time(base, 0),
                    "names": names([(0, "beta", "Beta"), (80, "beta-2", "Beta")]),
                    "removed": [["from": ReadHistory.time(base, 70), "to": ReadHistory.time(base, 80)]],
                ],
                [
                    b(0, 50, 0, nil, false), b(20, 53, 3, nil, false), b(40, nil, nil, nil, false),
                    b(60, nil, 0, 1200, false), b(80, 61, 8, nil, false),
                ]
            ),
            // c: not there yet in the first bucket; first seen at 20 with 4 views, all counted.
            (
                "c",
                [
                    "first_seen": ReadHistory.time(base, 20), "names": names([(20, "gamma", ReadHistory.hostileTitle)]),
                    "removed": [],
                ],
                [
                    b(0, nil, 0, nil, false), b(20, 4, 4, nil, false), b(40, nil, nil, nil, false),
                    b(60, 9, 5, 1200, false), b(80, 9, 0, nil, false),
                ]
            ),
            // d: new at 10 (7 views counted), removed at 20 and still missing.
            (
                "d",
                [
                    "first_seen": ReadHistory.time(base, 10), "names": names([(10, "delta", "Delta")]),
                    "removed": [["from": ReadHistory.time(base, 20), "to": NSNull()]],
                ],
                [
                    b(0, 7, 7, nil, false), b(20, nil, 0, nil, false), b(40, nil, nil, nil, false),
                    b(60, nil, 0, 1200, false), b(80, nil, 0, nil, false),
                ]
            ),
        ]
        for post in posts {
            var extra = post.extra
            extra["id"] = post.id
            expectSame(
                try await series("/api/v1/posts/default/\(post.id)/series").canonical, envelope(extra, post.buckets),
                "post \(post.id)")
        }
    }

    @Test func topPostsAgainstThePreviousWindowWithSearchAndLimit() async throws {
        let (receiver, base) = try await Self.history()
        func top(_ from: Int64, _ to: Int64, _ extra: String = "") async throws -> HTTPAnswer {
            let answer = try await Self.get(
                receiver, "/api/v1/posts?from=\(ReadHistory.time(base, from))&to=\(ReadHistory.time(base, to))\(extra)")
            #expect(answer.status == 200, "\(answer.summary)")
            return answer
        }
        func expected(_ from: Int64, _ to: Int64, _ posts: [[String: Any]]) -> String {
            JSON.canonical(
                [
                    "blog": "default", "from": ReadHistory.time(base, from), "to": ReadHistory.time(base, to),
                    "previous_from": ReadHistory.time(base, 2 * from - to), "posts": posts,
                ] as [String: Any])
        }
        let hostile = ReadHistory.hostileTitle
        // 60–100 against 20–60: d gained nothing and is missing at the end (total null, removed).
        let late = [
            Self.top(base, "a", "alpha", "Alpha", views: 30, previous: 5, total: 45, firstSeen: 0),
            Self.top(base, "b", "beta-2", "Beta", views: 8, previous: 3, total: 61, firstSeen: 0),
            Self.top(base, "c", "gamma", hostile, views: 5, previous: 4, total: 9, firstSeen: 20),
            Self.top(base, "d", "delta", "Delta", views: 0, previous: 0, total: nil, firstSeen: 10),
        ]
        expectSame(try await top(60, 100).canonical, expected(60, 100, late))
        // 20–40 against 0–20: a and d fell (negative change); the baseline counts in neither window.
        // Slug and title are the newest ones, whatever the window (links go to the current post).
        expectSame(
            try await top(20, 40).canonical,
            expected(
                20, 40,
                [
                    Self.top(base, "a", "alpha", "Alpha", views: 5, previous: 10, total: 115, firstSeen: 0),
                    Self.top(base, "c", "gamma", hostile, views: 4, previous: 0, total: 4, firstSeen: 20),
                    Self.top(base, "b", "beta-2", "Beta", views: 3, previous: 0, total: 53, firstSeen: 0),
                    Self.top(base, "d", "delta", "Delta", views: 0, previous: 7, total: nil, firstSeen: 10),
                ]))
        // A post first seen after the window's end is not listed.
        expectSame(
            try await top(0, 10).canonical,
            expected(
                0, 10,
                [
                    Self.top(base, "a", "alpha", "Alpha", views: 0, previous: 0, total: 100, firstSeen: 0),
                    Self.top(base, "b", "beta-2", "Beta", views: 0, previous: 0, total: 50, firstSeen: 0),
                ]))
        // q: the current slug or title, any case, taken literally; limit after the filter.
        expectSame(try await top(60, 100, "&q=BETA-").canonical, expected(60, 100, [late[1]]))
        expectSame(try await top(60, 100, "&q=%3Cscript%3E").canonical, expected(60, 100, [late[2]]))
        expectSame(try await top(60, 100, "&q=%25").canonical, expected(60, 100, []))
        expectSame(try await top(60, 100, "&limit=2").canonical, expected(60, 100, Array(late.prefix(2))))
        expectSame(try await top(60, 100, "&q=ta&limit=1").canonical, expected(60, 100, [late[1]]))
        // An unknown blog is a 404 naming the field, not an empty list that looks like a quiet blog.
        let nope = try await Self.get(receiver, "/api/v1/posts?blog=nope")
        #expect(nope.status == 404 && nope.object?["field"] as? String == "blog", "\(nope.summary)")

        // Relative windows: from=2h is two hours before now; to defaults to now.
        let before = CaptureTime.now()
        let relative = try await Self.get(receiver, "/api/v1/posts?from=2h")
        let after = CaptureTime.now()
        let to = (relative.object?["to"] as? String).flatMap(CaptureTime.parse) ?? 0
        let from = (relative.object?["from"] as? String).flatMap(CaptureTime.parse) ?? 0
        let previous = (relative.object?["previous_from"] as? String).flatMap(CaptureTime.parse) ?? 0
        #expect(to >= before && to <= after && to - from == 7200 && from - previous == 7200, "\(relative.summary)")
        // Views since 2h ago: none (the history ended more than 3 h ago).
        #expect((relative.object?["posts"] as? [[String: Any]])?.map { $0["views"] as? Int } == [0, 0, 0, 0])
    }

    @Test func blogsAndAutomaticSteps() async throws {
        let (receiver, base) = try await Self.history()
        let other = try await Curl.push(
            receiver.url("/stats?blog=notes"), CSVBody([("n1", "one", 3, "One"), ("n2", "", 4, "Draft")]).text,
            headers: [CaptureTime.header(base + 5 * 60)])
        #expect(other.status == 200, "\(other.summary)")
        expectSame(
            try await Self.get(receiver, "/api/v1/blogs").canonical,
            JSON.canonical([
                "blogs": [
                    ["blog": "default", "posts": 3, "total_views": 115, "last_snapshot": ReadHistory.time(base, 90)],
                    ["blog": "notes", "posts": 2, "total_views": 7, "last_snapshot": ReadHistory.time(base, 5)],
                ]
            ]))
        // Without step: the smallest of 1m, 5m, 15m, 1h, 6h, 1d, 1w giving at most 400 buckets.
        for (query, step, buckets) in [
            ("from=\(ReadHistory.time(base, 0))&to=\(ReadHistory.time(base, 100))", 60, 100...100),
            ("from=24h", 300, 288...289),
            ("", 3600, 168...169),
            ("from=30d", 21_600, 120...121),
            ("from=365d", 86_400, 365...366),
            ("from=3y", 604_800, 156...158),
        ] as [(String, Int, ClosedRange<Int>)] {
            let answer = try await Self.get(receiver, "/api/v1/blogs/default/series?" + query)
            let count = (answer.object?["buckets"] as? [Any])?.count ?? -1
            #expect(answer.status == 200, "\(query): \(answer.summary)")
            #expect(
                answer.object?["step"] as? Int == step && buckets.contains(count), "\(query): step, \(count) buckets")
        }
        // A given step: minute buckets over the history's first 20 minutes.
        let minutes = try await Self.get(
            receiver,
            "/api/v1/posts/default/a/series?from=\(ReadHistory.time(base, 0))&to=\(ReadHistory.time(base, 20))&step=5m")
        expectSame(
            JSON.canonical(minutes.object?["buckets"]),
            JSON.canonical([
                Self.bucket(base, 0, 100, 0), Self.bucket(base, 5, nil, nil), Self.bucket(base, 10, 110, 10, gap: 300),
                Self.bucket(base, 15, nil, nil),
            ]))
    }

    @Test func badParametersAre400NamingTheField() async throws {
        let (receiver, base) = try await Self.history()
        let t0 = ReadHistory.time(base, 0)
        let t100 = ReadHistory.time(base, 100)
        var cases: [(String, String)] = [
            ("/api/v1/posts?limit=0", "limit"), ("/api/v1/posts?limit=10001", "limit"),
            ("/api/v1/posts?limit=ten", "limit"), ("/api/v1/posts?limit=-1", "limit"),
            ("/api/v1/posts?limit=2.5", "limit"),
        ]
        for path in ["/api/v1/posts", "/api/v1/blogs/default/series", "/api/v1/posts/default/a/series"] {
            cases += [
                ("\(path)?from=yesterday", "from"), ("\(path)?to=tomorrow", "to"),
                ("\(path)?from=2026-13-01T00:00:00Z", "from"), ("\(path)?from=2026-12-01T00:00:00", "from"),
                ("\(path)?from=\(t100)&to=\(t0)", "from"), ("\(path)?from=\(t0)&to=\(t0)", "from"),
                ("\(path)?from=-5d", "from"),
            ]
        }
        for path in ["/api/v1/blogs/default/series", "/api/v1/posts/default/a/series"] {
            cases += [
                ("\(path)?step=30s", "step"), ("\(path)?step=0", "step"), ("\(path)?step=1x", "step"),
                ("\(path)?step=-1h", "step"), ("\(path)?from=30d&step=1m", "step"),
            ]
        }
        let fine = [
            "/api/v1/posts?limit=1", "/api/v1/posts?limit=10000", "/api/v1/blogs/default/series?from=1d&step=60s",
        ]
        let answers = try await CurlBatch.run((cases.map(\.0) + fine).map { CurlBatch.Request(url: receiver.url($0)) })
        for ((path, field), answer) in zip(cases, answers) {
            #expect(answer.status == 400, "\(path): \(answer.summary)")
            #expect(answer.errorLocation == JSON.canonical(["field": field]), "\(path): \(answer.summary)")
            #expect(!answer.errorMessage.isEmpty && answer.headers["content-type"] == "application/json", "\(path)")
        }
        // The bounds themselves are fine.
        for (path, answer) in zip(fine, answers.suffix(fine.count)) {
            #expect(answer.status == 200, "\(path): \(answer.summary)")
        }
    }

    @Test func unknownBlogOrPostIs404() async throws {
        let (receiver, _) = try await Self.history()
        for (path, field) in [
            ("/api/v1/blogs/nope/series", "blog"), ("/api/v1/posts/default/nope/series", "id"),
            ("/api/v1/blogs/Default/series", "blog"), ("/api/v1/posts/default/A/series", "id"),
        ] {
            let answer = try await Self.get(receiver, path)
            #expect(answer.status == 404, "\(path): \(answer.summary)")
            #expect(answer.errorLocation == JSON.canonical(["field": field]), "\(path): \(answer.summary)")
            #expect(
                answer.errorMessage.contains("nope") || answer.errorMessage.contains("Default")
                    || answer.errorMessage.contains("\"A\""), "\(path): names what it did not find: \(answer.summary)")
        }
        let unknownBlog = try await Self.get(receiver, "/api/v1/posts/nope/a/series")
        #expect(
            unknownBlog.status == 404 && unknownBlog.object?["field"] as? String == "blog", "\(unknownBlog.summary)")
    }

    @Test func searchIgnoresCaseBeyondASCII() async throws {
        let receiver = try await ReceiverProcess(in: try TemporaryDirectory())
        let pushed = try await Curl.push(
            receiver.url("/stats"), CSVBody([("x", "ete", 5, "Été à Paris"), ("y", "winter", 3, "Winter")]).text,
            headers: [CaptureTime.header(CaptureTime.now() - 60)])
        try #require(pushed.status == 200, "\(pushed.summary)")
        for q in ["Été", "été", "ÉTÉ", "Été à Paris"] {
            let encoded = q.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? q
            let answer = try await Self.get(receiver, "/api/v1/posts?q=\(encoded)")
            let ids = (answer.object?["posts"] as? [[String: Any]])?.compactMap { $0["id"] as? String }
            #expect(ids == ["x"], "q=\(q): \(answer.summary)")
        }
    }

    /// A given step may make at most 10,000 buckets; an automatic one has no bound: a window
    /// from 1800 makes ~11,800 weekly buckets, and one from year 1 ~105,000 (7 MB for a blog,
    /// 33 MB and 6 s for a post on a fast machine; far more on a Raspberry Pi).
    @Test func anAutomaticStepKeepsTheBucketsBounded() async throws {
        let receiver = try await ReceiverProcess(in: try TemporaryDirectory())
        _ = try await Curl.push(
            receiver.url("/stats"), CSVBody([("a", "alpha", 1, "Alpha")]).text,
            headers: [CaptureTime.header(CaptureTime.now() - 60)])
        let answer = try await Self.get(receiver, "/api/v1/blogs/default/series?from=1800-01-01T00:00:00Z")
        let count = (answer.object?["buckets"] as? [Any])?.count ?? 0
        #expect(
            answer.status == 400 || (answer.status == 200 && count <= 10_000),
            "HTTP \(answer.status), \(count) buckets, \(answer.body.count) bytes")
    }
}
