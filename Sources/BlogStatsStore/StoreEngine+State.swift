import BlogStatsCore
import BlogStatsSQLite

extension StoreEngine {
    /// Every post of a blog as it stood at `time` (the last sample and name at or before it).
    /// One indexed seek per post: used at start-up and for late snapshots, not per push.
    func state(blogKey: Int64, at time: Int64) throws -> [String: PostState] {
        var keys: [(Int64, String)] = []
        let posts = sql.postsOfBlog.bind(.integer(blogKey))
        while try posts.step() { keys.append((posts.int64(0), posts.text(1))) }
        posts.reset()

        var states: [String: PostState] = [:]
        states.reserveCapacity(keys.count)
        for (key, id) in keys {
            var post = PostState(key: key, views: -1, lastKnown: -1, nameHash: 0)
            if let sample = try lookup.last(key, before: time + 1) {
                post.sampleTime = sample.t
                post.views = sample.views ?? -1
                post.gainedTotal = sample.total
            }
            if post.isPresent {
                post.lastKnown = post.views
            } else if post.sampleTime >= 0 {
                post.lastKnown = try lookup.lastKnown(key, before: time + 1) ?? -1
            }
            let name = sql.nameAtOrBefore.bind(.integer(key), .integer(time))
            if try name.step() {
                post.nameTime = name.int64(0)
                post.nameHash = ContentHash.name(slug: name.text(1), title: name.text(2))
            }
            name.reset()
            states[id] = post
        }
        return states
    }

    /// The newest state of a blog, kept in memory from then on.
    func loadNewest(blogKey: Int64) throws -> BlogState {
        let latest =
            try sql.neighbours.bind(.integer(blogKey), .integer(0)).step() ? sql.neighbours.optionalInt64(2) : nil
        sql.neighbours.reset()
        guard let latest else { return BlogState(key: blogKey, latest: nil, posts: IDTable(), presentCount: 0) }
        let states = try state(blogKey: blogKey, at: latest)
        let gainedTotal = try sql.newestTotal.bind(.integer(blogKey)).step() ? sql.newestTotal.int64(0) : 0
        sql.newestTotal.reset()
        var posts = IDTable<PostState>(capacity: states.count)
        for (id, post) in states { posts.append(id, hash: ContentHash.of(id), post) }
        return BlogState(
            key: blogKey, latest: latest, posts: posts, presentCount: states.values.count(where: \.isPresent),
            gainedTotal: gainedTotal)
    }

    /// The content hash of the snapshot stored at `time`, rebuilt from samples for snapshots
    /// stored before hashes were kept.
    func storedHash(blogKey: Int64, at time: Int64) throws -> UInt64? {
        guard try sql.snapshotAt.bind(.integer(blogKey), .integer(time)).step() else {
            sql.snapshotAt.reset()
            return nil
        }
        let stored = sql.snapshotAt.optionalInt64(0)
        sql.snapshotAt.reset()
        if let stored { return UInt64(bitPattern: stored) }
        var hash: UInt64 = 0
        for (id, post) in try state(blogKey: blogKey, at: time) where post.isPresent {
            hash = hash &+ ContentHash.row(idHash: ContentHash.of(id), views: post.views, nameHash: post.nameHash)
        }
        return hash
    }

    /// Recomputes one post's running totals from `time` on, from the state just before it:
    /// after a late snapshot the gains of later samples may have changed.
    func rebuildTotals(postKey: Int64, from time: Int64, before: PostState, blogFirst: Int64) throws {
        var rows: [(t: Int64, views: Int64?, total: Int64)] = []
        let samples = sql.samplesFrom.bind(.integer(postKey), .integer(time))
        while try samples.step() { rows.append((samples.int64(0), samples.optionalInt64(1), samples.int64(2))) }
        samples.reset()
        var lastKnown = before.lastKnown
        var total = before.sampleTime >= 0 ? before.gainedTotal : 0
        for row in rows {
            if let views = row.views {
                // A post first seen in its blog's first snapshot starts from a baseline.
                total += lastKnown < 0 && row.t == blogFirst ? 0 : PostState.gain(from: lastKnown, to: views)
                lastKnown = views
            }
            if total != row.total { try sql.setSampleTotal.run(.integer(postKey), .integer(row.t), .integer(total)) }
        }
    }
}
