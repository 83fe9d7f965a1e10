import BlogStatsCore

extension StoreEngine {
    /// A snapshot at or before the newest stored one (a replayed spool, a second collector,
    /// two pushes in one second). Writes it so that the stored series is the one in-order
    /// arrival would have produced: samples at this time, the next snapshot's samples and
    /// the next snapshot's gain are all made consistent again.
    func storeLate(_ snapshot: Snapshot, blog: BlogState) throws -> (IngestSummary, CacheChange?) {
        let time = snapshot.capturedAt
        var summary = IngestSummary(blog: snapshot.blog, capturedAt: time)
        summary.rows = snapshot.rows.count
        let hash = ContentHash.snapshot(snapshot.rows)

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
        // The next snapshot's state must be read before this one's samples are touched.
        let next = try nextTime.map { try state(blogKey: blog.key, at: $0) }
        if replacing {
            try sql.deleteSamplesAt.run(.integer(blog.key), .integer(time))
            try sql.deleteNamesAt.run(.integer(blog.key), .integer(time))
            try sql.deleteSnapshot.run(.integer(blog.key), .integer(time))
        }
        let before = try state(blogKey: blog.key, at: time)
        var atTime = before
        var total: Int64 = 0
        var gained: Int64 = 0

        for row in snapshot.rows {
            let nameHash = ContentHash.name(slug: row.slug, title: row.title)
            total += row.views
            if var post = before[row.id] {
                if post.views != row.views {
                    try sql.insertSample.run(.integer(post.key), .integer(time), .integer(row.views))
                    if post.lastKnown < 0 {
                        summary.new += 1
                    } else if post.isPresent {
                        summary.changed += 1
                    } else {
                        summary.returned += 1
                    }
                    if post.lastKnown >= 0 && row.views < post.lastKnown { summary.resets += 1 }
                    if previousTime != nil { gained += PostState.gain(from: post.lastKnown, to: row.views) }
                }
                if post.nameHash != nameHash {
                    try sql.insertName.run(.integer(post.key), .integer(time), .text(row.slug), .text(row.title))
                }
                try sql.lowerFirstSeen.run(.integer(post.key), .integer(time))
                post.views = row.views
                post.lastKnown = row.views
                post.nameHash = nameHash
                atTime[row.id] = post
            } else {
                try sql.insertPost.run(.integer(blog.key), .text(row.id), .integer(time))
                let key = db.lastInsertRowID
                try sql.insertSample.run(.integer(key), .integer(time), .integer(row.views))
                try sql.insertName.run(.integer(key), .integer(time), .text(row.slug), .text(row.title))
                summary.new += 1
                if previousTime != nil { gained += row.views }
                atTime[row.id] = PostState(key: key, views: row.views, lastKnown: row.views, nameHash: nameHash)
            }
        }
        let ids = Set(snapshot.rows.lazy.map(\.id))
        for (id, var post) in before where post.isPresent && !ids.contains(id) {
            try sql.insertSample.run(.integer(post.key), .integer(time), .null)
            post.views = -1
            atTime[id] = post
            summary.removed += 1
        }
        try sql.insertSnapshot.run(
            .integer(blog.key), .integer(time), .integer(Int64(snapshot.rows.count)), .integer(total),
            .integer(gained), .integer(Int64(bitPattern: hash)))
        if let nextTime, let next {
            try repairNext(blogKey: blog.key, nextTime: nextTime, next: next, atTime: atTime)
        }
        return (summary, .forget(blog: snapshot.blog))
    }

    /// After a snapshot was written at some time, the next snapshot keeps a sample exactly
    /// where its value differs from the one just written, and its gain is recomputed.
    private func repairNext(
        blogKey: Int64, nextTime: Int64, next: [String: PostState], atTime: [String: PostState]
    ) throws {
        var gained: Int64 = 0
        for (id, at) in atTime {
            // Posts created by the late snapshot did not exist at the next one: absent there.
            let later = next[id] ?? PostState(key: at.key, views: -1, lastKnown: -1, nameHash: 0)
            let wanted = later.views != at.views
            let exists = later.sampleTime == nextTime
            if wanted && !exists {
                try sql.insertSample.run(.integer(at.key), .integer(nextTime), .optional(later.isPresent ? later.views : nil))
            } else if !wanted && exists {
                try sql.deleteSample.run(.integer(at.key), .integer(nextTime))
            }
            guard later.isPresent else { continue }
            gained += PostState.gain(from: at.lastKnown, to: later.views)
            let nameWanted = later.nameHash != at.nameHash
            let nameExists = later.nameTime == nextTime
            if nameWanted && !nameExists {
                let name = sql.nameAtOrBefore.bind(.integer(at.key), .integer(nextTime))
                if try name.step() {
                    let slug = name.text(1)
                    let title = name.text(2)
                    name.reset()
                    try sql.insertName.run(.integer(at.key), .integer(nextTime), .text(slug), .text(title))
                }
                name.reset()
            } else if !nameWanted && nameExists {
                try sql.deleteName.run(.integer(at.key), .integer(nextTime))
            }
        }
        try sql.setGained.run(.integer(blogKey), .integer(nextTime), .integer(gained))
    }
}
