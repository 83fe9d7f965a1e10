import Foundation

/// A history as the old Flask receiver left it in InfluxDB: one `blog_stats` point per row of
/// each POST, every point of a POST at the same microsecond time of receipt; tags `id`,
/// `slug`, `title` (an empty one omitted), integer field `value`.
struct OldReceiverHistory {
    struct Row: Equatable {
        var id: String
        var slug: String
        var title: String
        var views: Int
    }

    /// Capture times in nanoseconds, and each POST's rows.
    var snapshots: [(time: Int64, rows: [Row])] = []

    /// Several snapshots of a small blog: hostile titles, a slug change, a post deleted then
    /// back, a counter reset, a new post, and (in `lines`) a point without an id.
    static func small(base: Int64) -> OldReceiverHistory {
        var history = OldReceiverHistory()
        let titles = [
            "Commas, spaces and = signs", "\"Quoted\" title", "back\\slash", "ünïcödé — 日本語 🎉", "",
            "trailing space ",
        ]
        var views = [10, 20, 30, 40, 50, 60]
        for step in 0..<5 {
            var rows: [Row] = []
            for (index, title) in titles.enumerated() {
                if step == 2 && index == 1 { continue }  // deleted for one snapshot
                let slug = index == 0 && step >= 3 ? "renamed-slug" : (index == 4 ? "" : "post-\(index)")
                rows.append(Row(id: "id\(index)", slug: slug, title: title, views: views[index]))
                views[index] += index + step
            }
            if step == 3 { rows[5].views = 1 }  // restored backup
            if step >= 4 { rows.append(Row(id: "late", slug: "late", title: "Late, post", views: 3)) }
            // Microseconds, as Python's isoformat() kept them.
            history.snapshots.append((base * 1_000_000_000 + Int64(step) * 60_000_000_000 + 123_456_000, rows))
        }
        return history
    }

    /// `posts` posts, `count` snapshots one minute apart; each post gains a little now and then.
    static func large(base: Int64, posts: Int, count: Int) -> OldReceiverHistory {
        var history = OldReceiverHistory()
        var views = (0..<posts).map { $0 * 3 }
        for step in 0..<count {
            for index in views.indices where (index + step) % 7 == 0 { views[index] += 1 + index % 5 }
            let rows = views.indices.map {
                Row(id: "p\($0)", slug: "post-\($0)", title: "Post \($0), part \($0 % 9)", views: views[$0])
            }
            history.snapshots.append((base * 1_000_000_000 + Int64(step) * 60_000_000_000 + 500_000, rows))
        }
        return history
    }

    /// Line protocol for `/write`, as the old receiver's client wrote it; `withoutID` adds a
    /// point that has no `id` tag to the first snapshot.
    func lines(withoutID: Bool = false) -> [String] {
        var lines: [String] = []
        for (index, snapshot) in snapshots.enumerated() {
            for row in snapshot.rows {
                var tags = "id=\(Self.escape(row.id))"
                if !row.slug.isEmpty { tags += ",slug=\(Self.escape(row.slug))" }
                if !row.title.isEmpty { tags += ",title=\(Self.escape(row.title))" }
                lines.append("blog_stats,\(tags) value=\(row.views)i \(snapshot.time)")
            }
            if withoutID && index == 0 {
                lines.append("blog_stats,slug=orphan,title=No\\ id value=5i \(snapshot.time)")
            }
        }
        return lines
    }

    static func escape(_ tag: String) -> String {
        tag.replacingOccurrences(of: ",", with: "\\,").replacingOccurrences(of: "=", with: "\\=")
            .replacingOccurrences(of: " ", with: "\\ ")
    }

    /// What `blogstats export --format json` must print for this history in blog `blog`: one
    /// object per row, at the second of its POST.
    func exportObjects(blog: String = "default") -> [[String: Any]] {
        var objects: [[String: Any]] = []
        for snapshot in snapshots {
            for row in snapshot.rows.sorted(by: { $0.id < $1.id }) {
                objects.append([
                    "time": Self.format(snapshot.time / 1_000_000_000), "blog": blog, "id": row.id, "slug": row.slug,
                    "view_count": row.views, "title": row.title,
                ])
            }
        }
        return objects
    }

    var pointCount: Int { snapshots.reduce(0) { $0 + $1.rows.count } }

    static func format(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(seconds)))
    }
}
