import BlogStatsCore
import BlogStatsSQLite

extension StoreEngine {
    /// A snapshot at or before the newest stored one (a replayed spool, a second collector,
    /// two pushes in one second). Stored so that the result is what in-order arrival would
    /// have produced: its own samples, the samples of the next snapshot, the name history and
    /// the gains of later snapshots are all made consistent again.
    ///
    /// Everything is read before anything is written, so every read sees the old history.
    func storeLate(_ snapshot: Snapshot, blog: BlogState) throws -> (IngestSummary, CacheChange?) {
        let time = snapshot.capturedAt
        var summary = IngestSummary(blog: snapshot.blog, capturedAt: time)
        summary.rows = snapshot.rowCount
        let hash = snapshot.contentHash

        var replacing = false
        if let stored = try storedHash(blogKey: blog.key, at: time) {
            if stored == hash {
                summary.duplicate = true
                return (summary, nil)
            }
            // A replay must never overwrite other data; a push without a capture time is
            // "now", and of two pushes within one second the later one wins.
            guard !snapshot.explicitTime else { throw StoreError.conflict(blog: snapshot.blog, capturedAt: time) }
            replacing = true
        }
        _ = try sql.neighbours.bind(.integer(blog.key), .integer(time)).step()
        let previousTime = sql.neighbours.optionalInt64(0)
        let nextTime = sql.neighbours.optionalInt64(1)
        sql.neighbours.reset()

        let before = try state(blogKey: blog.key, at: time - 1)
        var plan = LatePlan(snapshot: snapshot, before: before, isFirst: previousTime == nil)
        // New posts get their keys first; having no samples yet, they read as absent later on.
        for row in plan.newPosts {
            try sql.insertPost.run(.integer(blog.key), .text(row.id), .integer(time))
            plan.atTime[row.id]!.key = db.lastInsertRowID
        }
        summary.changed = plan.changed
        summary.new = plan.new
        summary.returned = plan.returned
        summary.removed = plan.removed
        summary.resets = plan.resets
        var repairs: [Repair] = []
        if let nextTime {
            let next = try state(blogKey: blog.key, at: nextTime)
            repairs = try plannedRepairs(nextTime: nextTime, next: next, atTime: plan.atTime)
        }

        // From here on history from `time` is rewritten, and only rows are: the posts written
        // are unsealed from its day on; every post when the baseline moves (a new first snapshot)
        // or a snapshot is replaced, as their running totals are all rebuilt.
        if previousTime == nil || replacing {
            try unseal(blogKey: blog.key, from: time)
        } else {
            var written = Set(plan.samples.map { plan.atTime[$0.id]!.key })
            // Repairs at the next snapshot touch those posts, and after thinning also one whose
            // kept sample lies between this snapshot and the next (no snapshot at its time).
            for repair in repairs {
                switch repair {
                case .sample(let key, _, _), .deleteSample(let key, _): written.insert(key)
                default: break
                }
            }
            try unseal(posts: written, blogKey: blog.key, from: time)
        }

        if replacing {
            try sql.deleteSamplesAt.run(.integer(blog.key), .integer(time))
            try sql.deleteNamesAt.run(.integer(blog.key), .integer(time))
            try sql.deleteSnapshot.run(.integer(blog.key), .integer(time))
            try sql.deleteHash.run(.integer(blog.key), .integer(time))
        }
        for write in plan.samples {
            let key = plan.atTime[write.id]!.key
            // Running totals are rebuilt below, once every sample is in place.
            try sql.insertSample.run(.integer(key), .integer(time), .optional(write.views), .integer(0))
            try sql.lowerFirstSeen.run(.integer(key), .integer(time))
        }
        for row in plan.names {
            let key = plan.atTime[row.id]!.key
            try sql.insertName.run(.integer(key), .integer(time), .text(row.slug), .text(row.title))
        }
        try sql.insertSnapshot.run(
            .integer(blog.key), .integer(time), .integer(Int64(snapshot.rowCount)), .integer(plan.total),
            .integer(plan.gained), .integer(0))
        try sql.insertHash.run(.integer(blog.key), .integer(time), .integer(Int64(bitPattern: hash)))
        for repair in repairs { try apply(repair, blogKey: blog.key) }
        try rebuildTotals(
            blogKey: blog.key, from: time, before: before, plan: plan, everyPost: previousTime == nil || replacing)
        if replacing {
            // Posts that only the replaced snapshot had: gone, or first seen later now.
            try sql.forgetPostsWithoutSamples.run(.integer(blog.key), .integer(time))
            try sql.moveFirstSeen.run(.integer(blog.key), .integer(time))
        }
        return (summary, .forget(blog: snapshot.blog))
    }

    /// Running totals from the late snapshot on: the blog's (a window sum in SQL) and those of
    /// every post whose gains may have moved: each post written at this time; every post when
    /// this snapshot became the blog's first (the baseline moved) or replaced another.
    private func rebuildTotals(
        blogKey: Int64, from time: Int64, before: [String: PostState], plan: LatePlan, everyPost: Bool
    ) throws {
        try sql.runningTotalsFrom.run(.integer(blogKey), .integer(time))
        let blogFirst = try sql.firstSnapshot.bind(.integer(blogKey)).step() ? sql.firstSnapshot.int64(0) : time
        sql.firstSnapshot.reset()
        let affected = everyPost ? Set(plan.atTime.keys) : Set(plan.samples.map(\.id))
        for id in affected {
            let post = plan.atTime[id]!
            let start = before[id] ?? PostState(key: post.key, views: -1, lastKnown: -1, nameHash: 0)
            try rebuildTotals(postKey: post.key, from: time, before: start, blogFirst: blogFirst)
        }
    }

    /// One write that keeps a later snapshot consistent with the late one.
    enum Repair {
        case sample(key: Int64, time: Int64, views: Int64?)
        case deleteSample(key: Int64, time: Int64)
        case name(key: Int64, time: Int64, slug: String, title: String)
        case deleteName(key: Int64, time: Int64)
        case setGained(time: Int64, gained: Int64)
        case addGained(time: Int64, delta: Int64)
    }

    /// What must change after the late snapshot: at the next snapshot, a sample exactly where
    /// the value differs from the late one's and a recomputed gain; at each post's next
    /// appearance, a name record exactly where the name differs, and its gain from the new base.
    private func plannedRepairs(nextTime: Int64, next: [String: PostState], atTime: [String: PostState]) throws
        -> [Repair]
    {
        var repairs: [Repair] = []
        var gainedAtNext: Int64 = 0
        var deltas: [Int64: Int64] = [:]
        for (id, at) in atTime {
            // Every post, even one first created by the late snapshot, is in `next` (absent there).
            guard let later = next[id] else { continue }
            let sampleWanted = later.views != at.views
            let sampleExists = later.sampleTime == nextTime
            if sampleWanted && !sampleExists {
                repairs.append(.sample(key: at.key, time: nextTime, views: later.isPresent ? later.views : nil))
            } else if !sampleWanted && sampleExists {
                repairs.append(.deleteSample(key: at.key, time: nextTime))
            }

            // The post's next appearance: the next snapshot, or its return after an absence.
            var appearance = nextTime
            var views = later.views
            var nameHash = later.nameHash
            var nameTime = later.nameTime
            if !later.isPresent {
                // Its days from the late snapshot on may still be sealed: read through the lookup.
                guard let following = try lookup.presentAfter(at.key, after: nextTime),
                    let sample = try lookup.last(at.key, before: following + 1), let present = sample.views
                else { continue }
                appearance = following
                views = present
                let name = sql.nameAtOrBefore.bind(.integer(at.key), .integer(appearance))
                if try name.step() {
                    nameTime = name.int64(0)
                    nameHash = ContentHash.name(slug: name.text(1), title: name.text(2))
                }
                name.reset()
                let oldBase = try lookup.lastKnown(at.key, before: appearance) ?? -1
                let delta = PostState.gain(from: at.lastKnown, to: views) - PostState.gain(from: oldBase, to: views)
                if delta != 0 { deltas[appearance, default: 0] += delta }
            } else {
                gainedAtNext += PostState.gain(from: at.lastKnown, to: views)
            }
            let nameWanted = nameHash != at.nameHash
            let nameExists = nameTime == appearance
            if nameWanted && !nameExists {
                let name = sql.nameAtOrBefore.bind(.integer(at.key), .integer(appearance))
                if try name.step() {
                    repairs.append(.name(key: at.key, time: appearance, slug: name.text(1), title: name.text(2)))
                }
                name.reset()
            } else if !nameWanted && nameExists {
                repairs.append(.deleteName(key: at.key, time: appearance))
            }
        }
        repairs.append(.setGained(time: nextTime, gained: gainedAtNext))
        for (time, delta) in deltas { repairs.append(.addGained(time: time, delta: delta)) }
        return repairs
    }

    private func apply(_ repair: Repair, blogKey: Int64) throws {
        switch repair {
        case .sample(let key, let time, let views):
            try sql.insertSample.run(.integer(key), .integer(time), .optional(views), .integer(0))
        case .deleteSample(let key, let time):
            try sql.deleteSample.run(.integer(key), .integer(time))
        case .name(let key, let time, let slug, let title):
            try sql.insertName.run(.integer(key), .integer(time), .text(slug), .text(title))
        case .deleteName(let key, let time):
            try sql.deleteName.run(.integer(key), .integer(time))
        case .setGained(let time, let gained):
            try sql.setGained.run(.integer(blogKey), .integer(time), .integer(gained))
        case .addGained(let time, let delta):
            try sql.addGained.run(.integer(blogKey), .integer(time), .integer(delta))
        }
    }
}

/// The late snapshot's own writes, worked out in memory against the state before it.
struct LatePlan {
    struct SampleWrite {
        var id: String
        var views: Int64?
    }

    var atTime: [String: PostState]
    var samples: [SampleWrite] = []
    var names: [SnapshotRow] = []
    var newPosts: [SnapshotRow] = []
    var total: Int64 = 0
    var gained: Int64 = 0
    var changed = 0, new = 0, returned = 0, removed = 0, resets = 0

    init(snapshot: Snapshot, before: [String: PostState], isFirst: Bool) {
        atTime = before
        // Made once: a snapshot read from a body has its rows as bytes.
        let rows = snapshot.rows
        for row in rows {
            let nameHash = ContentHash.name(slug: row.slug, title: row.title)
            total += row.views
            let old = before[row.id]
            let post = old ?? PostState(key: 0, views: -1, lastKnown: -1, nameHash: 0)
            if old == nil { newPosts.append(row) }
            if post.views != row.views {
                samples.append(SampleWrite(id: row.id, views: row.views))
                if post.lastKnown < 0 {
                    new += 1
                } else if post.isPresent {
                    changed += 1
                } else {
                    returned += 1
                }
                if post.lastKnown >= 0 && row.views < post.lastKnown { resets += 1 }
                // Views from before tracking began (the blog's first snapshot) belong to no interval.
                if !isFirst { gained += PostState.gain(from: post.lastKnown, to: row.views) }
            }
            if post.nameHash != nameHash { names.append(row) }
            atTime[row.id] = PostState(key: post.key, views: row.views, lastKnown: row.views, nameHash: nameHash)
        }
        let ids = Set(rows.lazy.map(\.id))
        for (id, post) in before where post.isPresent && !ids.contains(id) {
            samples.append(SampleWrite(id: id, views: nil))
            atTime[id]!.views = -1
            removed += 1
        }
    }
}
