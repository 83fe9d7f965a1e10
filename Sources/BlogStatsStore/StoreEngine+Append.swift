import BlogStatsCore
import BlogStatsSQLite

extension StoreEngine {
    /// The usual case: a snapshot newer than every stored one. Compares with the newest state
    /// in memory and writes only what changed: an unchanged post costs one lookup.
    func append(_ snapshot: Snapshot, to blog: BlogState, isNewBlog: Bool) throws -> (IngestSummary, CacheChange?) {
        let time = snapshot.capturedAt
        let isFirstSnapshot = blog.latest == nil
        var summary = IngestSummary(blog: snapshot.blog, capturedAt: time)
        summary.rows = snapshot.rows.count
        var updates: [(Int, PostState)] = []
        var added: [(String, UInt64, PostState)] = []
        var seen = [Bool](repeating: false, count: blog.posts.count)
        var order = [Int32](repeating: 0, count: snapshot.rows.count)
        var total: Int64 = 0
        var gained: Int64 = 0
        var stillPresent = 0
        var hash: UInt64 = 0

        for (position, row) in snapshot.rows.enumerated() {
            let idHash = ContentHash.of(row.id)
            let nameHash = ContentHash.name(slug: row.slug, title: row.title)
            hash = hash &+ ContentHash.row(idHash: idHash, views: row.views, nameHash: nameHash)
            total += row.views
            var hint: Int? = nil
            if position < blog.order.count, blog.posts.ids[Int(blog.order[position])] == row.id {
                hint = Int(blog.order[position])
            }
            guard let index = hint ?? blog.posts.index(of: row.id, hash: idHash) else {
                // New posts are appended to the table after the commit, in this order.
                order[position] = Int32(blog.posts.count + added.count)
                try sql.insertPost.run(.integer(blog.key), .text(row.id), .integer(time))
                let key = db.lastInsertRowID
                // Views from before tracking began (the blog's first snapshot) belong to no interval.
                let gain = isFirstSnapshot ? 0 : row.views
                try sql.insertSample.run(.integer(key), .integer(time), .integer(row.views), .integer(gain))
                try sql.insertName.run(.integer(key), .integer(time), .text(row.slug), .text(row.title))
                summary.new += 1
                gained += gain
                var post = PostState(key: key, views: row.views, lastKnown: row.views, nameHash: nameHash)
                post.gainedTotal = gain
                added.append((row.id, idHash, post))
                continue
            }
            seen[index] = true
            order[position] = Int32(index)
            var post = blog.posts.values[index]
            if post.isPresent { stillPresent += 1 }
            let viewsChanged = post.views != row.views
            let nameChanged = post.nameHash != nameHash
            guard viewsChanged || nameChanged else { continue }
            if viewsChanged {
                let gain = PostState.gain(from: post.lastKnown, to: row.views)
                post.gainedTotal += gain
                try sql.insertSample.run(
                    .integer(post.key), .integer(time), .integer(row.views), .integer(post.gainedTotal))
                if post.isPresent {
                    summary.changed += 1
                } else if post.lastKnown >= 0 {
                    summary.returned += 1
                } else {
                    summary.new += 1  // known to the store, but never present before now
                }
                if post.lastKnown >= 0 && row.views < post.lastKnown { summary.resets += 1 }
                gained += gain
                post.views = row.views
                post.lastKnown = row.views
            }
            if nameChanged {
                try sql.insertName.run(.integer(post.key), .integer(time), .text(row.slug), .text(row.title))
                post.nameHash = nameHash
            }
            updates.append((index, post))
        }

        if stillPresent < blog.presentCount {
            // Some post of the previous snapshot is missing from this one: mark it removed.
            for index in seen.indices where !seen[index] && blog.posts.values[index].isPresent {
                var post = blog.posts.values[index]
                try sql.insertSample.run(.integer(post.key), .integer(time), .null, .integer(post.gainedTotal))
                post.views = -1
                updates.append((index, post))
                summary.removed += 1
            }
        }

        try sql.insertSnapshot.run(
            .integer(blog.key), .integer(time), .integer(Int64(snapshot.rows.count)), .integer(total),
            .integer(gained), .integer(Int64(bitPattern: hash)), .integer(blog.gainedTotal + gained))
        let change = CacheChange.update(
            blog: snapshot.blog, state: isNewBlog ? blog : nil, posts: updates, added: added, latest: time,
            order: order, gainedTotal: blog.gainedTotal + gained)
        return (summary, change)
    }
}
