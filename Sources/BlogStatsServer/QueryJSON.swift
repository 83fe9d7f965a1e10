import BlogStatsCore
import BlogStatsStore

/// The JSON shapes of the read API (documented in docs/api.md and the OpenAPI document).
enum QueryJSON {
    static func bucket(_ bucket: SeriesBucket) -> [UInt8] {
        var object = JSONObject()
        object.add("start", Timestamp.format(bucket.start))
        if let cumulative = bucket.cumulative {
            object.add("cumulative", cumulative)
        } else {
            object.addNull("cumulative")
        }
        if let views = bucket.views { object.add("views", views) } else { object.addNull("views") }
        if let gap = bucket.gapSeconds { object.add("gap_seconds", gap) }
        if bucket.reset { object.add("reset", true) }
        return object.utf8
    }

    static func series(_ object: inout JSONObject, grid: BucketGrid, buckets: [SeriesBucket]) {
        object.add("from", Timestamp.format(grid.starts.first ?? grid.end))
        object.add("to", Timestamp.format(grid.end))
        object.add("step", grid.step)
        object.addRaw("buckets", JSONText.array(buckets.map(bucket)))
    }

    static func blog(_ blog: BlogSummary) -> [UInt8] {
        var object = JSONObject()
        object.add("blog", blog.name)
        object.add("posts", blog.posts)
        object.add("total_views", blog.totalViews)
        if let last = blog.lastSnapshot {
            object.add("last_snapshot", Timestamp.format(last))
        } else {
            object.addNull("last_snapshot")
        }
        return object.utf8
    }

    static func post(_ post: TopPost) -> [UInt8] {
        var object = JSONObject()
        object.add("id", post.id)
        object.add("slug", post.slug)
        object.add("title", post.title)
        object.add("views", post.views)
        object.add("previous_views", post.previousViews)
        object.add("change", post.views - post.previousViews)
        if let total = post.total { object.add("total", total) } else { object.addNull("total") }
        object.add("first_seen", Timestamp.format(post.firstSeen))
        object.add("removed", post.removed)
        return object.utf8
    }

    static func name(_ name: PostSeries.Name) -> [UInt8] {
        var object = JSONObject()
        object.add("since", Timestamp.format(name.since))
        object.add("slug", name.slug)
        object.add("title", name.title)
        return object.utf8
    }

    static func absence(_ absence: PostSeries.Absence) -> [UInt8] {
        var object = JSONObject()
        object.add("from", Timestamp.format(absence.from))
        if let to = absence.to { object.add("to", Timestamp.format(to)) } else { object.addNull("to") }
        return object.utf8
    }
}
