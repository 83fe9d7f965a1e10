import BlogStatsCore
import BlogStatsSQLite

extension StoreEngine {
    /// The usual case: a snapshot newer than every stored one. Compares with the newest state
    /// in memory and writes only what changed: an unchanged post costs one lookup.
    func append(_ snapshot: Snapshot, to blog: BlogState, isNewBlog: Bool) throws -> (IngestSummary, CacheChange?) {
        let time = snapshot.capturedAt
        let isFirstSnapshot = blog.latest == nil
        var summary = IngestSummary(blog: snapshot.blog, capturedAt: time)
        let packed = snapshot.packed
        summary.rows = packed.count
        var updates: [(Int, PostState)] = []
        var added: [(String, UInt64, PostState)] = []
        // A blog without posts (its first snapshot) gets its table built here, replacing the
        // empty one after the commit: no second list of 100,000 new posts in memory.
        let buildsTable = blog.posts.count == 0
        var table = IDTable<PostState>(capacity: buildsTable ? packed.count : 0)
        var seen = [Bool](repeating: false, count: blog.posts.count)
        var order = [Int32](repeating: 0, count: packed.count)
        var total: Int64 = 0
        var gained: Int64 = 0
        var stillPresent = 0
        var hash: UInt64 = 0
        // Where each post stood in the previous snapshot: the row after post P is most likely
        // the one that followed P last time, even when rows before it moved.
        var previousPosition = [Int32](repeating: -1, count: blog.posts.count)
        for (position, index) in blog.order.enumerated() { previousPosition[Int(index)] = Int32(position) }
        var expected = 0

        try packed.withCells { cells in
            for position in 0..<cells.count {
                let id = cells.id(position)
                let idHash = cells.idHash(position)
                let views = cells.views(position)
                let nameHash = cells.nameHash(position)
                hash = hash &+ ContentHash.row(idHash: idHash, views: views, nameHash: nameHash)
                total += views
                var found: Int? = nil
                if expected < blog.order.count, blog.posts.idAt(Int(blog.order[expected]), equals: id) {
                    found = Int(blog.order[expected])
                }
                guard let index = found ?? blog.posts.index(ofBytes: id, hash: idHash) else {
                    // New posts are appended to the table after the commit, in this order.
                    order[position] = Int32(blog.posts.count + added.count + table.count)
                    try sql.insertPost.run(.integer(blog.key), .utf8(id), .integer(time))
                    let key = db.lastInsertRowID
                    // Views from before tracking began (the blog's first snapshot) belong to no interval.
                    let gain = isFirstSnapshot ? 0 : views
                    try sql.insertSample.run(.integer(key), .integer(time), .integer(views), .integer(gain))
                    try sql.insertName.run(
                        .integer(key), .integer(time), .utf8(cells.slug(position)), .utf8(cells.title(position)))
                    summary.new += 1
                    gained += gain
                    var post = PostState(key: key, views: views, lastKnown: views, nameHash: nameHash)
                    post.gainedTotal = gain
                    if buildsTable {
                        table.append(cells.idText(position), hash: idHash, post)
                    } else {
                        added.append((cells.idText(position), idHash, post))
                    }
                    continue
                }
                if previousPosition[index] >= 0 { expected = Int(previousPosition[index]) + 1 }
                seen[index] = true
                order[position] = Int32(index)
                var post = blog.posts.values[index]
                if post.isPresent { stillPresent += 1 }
                let viewsChanged = post.views != views
                let nameChanged = post.nameHash != nameHash
                guard viewsChanged || nameChanged else { continue }
                if viewsChanged {
                    let gain = PostState.gain(from: post.lastKnown, to: views)
                    post.gainedTotal += gain
                    try sql.insertSample.run(
                        .integer(post.key), .integer(time), .integer(views), .integer(post.gainedTotal))
                    if post.isPresent {
                        summary.changed += 1
                    } else if post.lastKnown >= 0 {
                        summary.returned += 1
                    } else {
                        summary.new += 1  // known to the store, but never present before now
                    }
                    if post.lastKnown >= 0 && views < post.lastKnown { summary.resets += 1 }
                    gained += gain
                    post.views = views
                    post.lastKnown = views
                }
                if nameChanged {
                    try sql.insertName.run(
                        .integer(post.key), .integer(time), .utf8(cells.slug(position)), .utf8(cells.title(position)))
                    post.nameHash = nameHash
                }
                updates.append((index, post))
            }
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
            .integer(blog.key), .integer(time), .integer(Int64(packed.count)), .integer(total),
            .integer(gained), .integer(blog.gainedTotal + gained))
        try sql.insertHash.run(.integer(blog.key), .integer(time), .integer(Int64(bitPattern: hash)))
        var fresh = isNewBlog ? blog : nil
        if buildsTable {
            fresh = blog
            fresh!.posts = table
        }
        let change = CacheChange.update(
            blog: snapshot.blog, state: fresh, posts: updates, added: added, latest: time,
            order: order, gainedTotal: blog.gainedTotal + gained)
        return (summary, change)
    }
}
