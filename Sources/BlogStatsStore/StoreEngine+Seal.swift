import BlogStatsSQLite

/// Sealing: once a UTC day is closed, each post's samples of that day are packed into blocks
/// (`SampleBlocks`) and their rows deleted. A blog's samples before `sealed_until` are all in
/// blocks but for each post's newest one, the later ones all in `samples`, so every sealed
/// sample of a post is older than every row of it. A late snapshot into a sealed day first
/// unseals from that day on.
extension StoreEngine {
    /// Where the blog's sealed blocks end.
    func sealedUntil(blogKey: Int64) throws(SQLiteError) -> Int64 {
        try db.integer("SELECT coalesce((SELECT sealed_until FROM retention WHERE blog_key = \(blogKey)), 0)")
    }

    private func setSealedUntil(blogKey: Int64, _ time: Int64) throws(SQLiteError) {
        try db.execute(
            """
            INSERT INTO retention(blog_key, sealed_until) VALUES (\(blogKey), \(time))
            ON CONFLICT(blog_key) DO UPDATE SET sealed_until = excluded.sealed_until
            """)
    }

    /// Seals the blog's oldest unsealed day if it ended at least `delay` seconds before the
    /// blog's newest snapshot (and the mirror has sent it); false when there is none. One
    /// transaction.
    func sealNextDay(blogKey: Int64, delay: Int64) throws(StoreError) -> Bool {
        try sealingTransaction { () throws -> Bool in
            let sealed = try sealedUntil(blogKey: blogKey)
            let next = try db.integer(
                "SELECT coalesce(min(t), -1) FROM snapshots WHERE blog_key = \(blogKey) AND t >= \(sealed)")
            guard next >= 0 else { return false }
            let end = SampleBlocks.dayStart(next) + SampleBlocks.day
            let newest = try db.integer("SELECT max(t) FROM snapshots WHERE blog_key = \(blogKey)")
            guard end + delay <= newest else { return false }
            // The mirror rebuilds pending snapshots from rows by time.
            if outbox, let pending = try oldestPending(blogKey: blogKey), pending < end { return false }
            try seal(blogKey: blogKey, from: sealed, to: end)
            try setSealedUntil(blogKey: blogKey, end)
            return true
        }
    }

    /// Packs again the rows left in the sealed days: those a late snapshot moved back
    /// (`unseal(posts:)`, with its content hash), and a post's newest row once a later one came.
    /// True when there were any. One transaction, on the background timer, not on ingest.
    func resealLingering(blogKey: Int64) throws(StoreError) -> Bool {
        try sealingTransaction { () throws -> Bool in
            let sealed = try sealedUntil(blogKey: blogKey)
            guard sealed > 0,
                try db.integer(
                    """
                    SELECT EXISTS (SELECT 1 FROM samples AS s
                      WHERE s.post_key IN (SELECT post_key FROM posts WHERE blog_key = \(blogKey)) AND s.t < \(sealed)
                        AND s.t < (SELECT max(k.t) FROM samples k WHERE k.post_key = s.post_key))
                    """) == 1
                    || db.integer(
                        "SELECT EXISTS (SELECT 1 FROM snapshot_hashes WHERE blog_key = \(blogKey) AND t < \(sealed))")
                        == 1
            else { return false }
            try seal(blogKey: blogKey, from: 0, to: sealed)
            return true
        }
    }

    /// Unseals the blog's newest sealed day if a snapshot at `time` will need every post's days
    /// as rows: one older than the blog's first snapshot, in its sealed days (its running totals
    /// all move; any other late snapshot unseals only the posts it writes). One transaction;
    /// false when nothing is left to unseal for it. Called a day per lock before such a
    /// snapshot is stored, so that history imported behind sealed live data does not hold every
    /// other push up for the whole move; its own transaction unseals whatever is left.
    func unsealNewestDay(blog: String, for time: Int64) throws(StoreError) -> Bool {
        // Every push with a capture time comes here: one newer than what the blog holds in
        // memory (nearly all of them) needs no transaction.
        if let latest = blogs[blog]?.latest, time > latest { return false }
        return try sealingTransaction { () throws -> Bool in
            guard try sql.findBlog.bind(.text(blog)).step() else {
                sql.findBlog.reset()
                return false
            }
            let blogKey = sql.findBlog.int64(0)
            sql.findBlog.reset()
            let sealed = try sealedUntil(blogKey: blogKey)
            guard time < sealed,
                try db.integer("SELECT EXISTS (SELECT 1 FROM snapshots WHERE blog_key = \(blogKey) AND t <= \(time))")
                    == 0
            else { return false }
            try unseal(blogKey: blogKey, from: sealed - SampleBlocks.day)
            return true
        }
    }

    private func sealingTransaction<T>(_ body: () throws -> T) throws(StoreError) -> T {
        do {
            return try db.transaction(body)
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    /// Packs the blog's rows before `end` into blocks, except each post's newest sample, which
    /// stays a row: the newest state (what start-up, the top list up to now and the mirror
    /// read most) is then one seek, and every block sample of a post stays older than its rows.
    private func seal(blogKey: Int64, from: Int64, to end: Int64) throws {
        let older = """
            FROM samples AS s WHERE s.post_key IN (SELECT post_key FROM posts WHERE blog_key = ?1) AND s.t < ?2
              AND s.t < (SELECT max(k.t) FROM samples k WHERE k.post_key = s.post_key)
            """
        let rows = try db.prepare("SELECT s.post_key, s.t, s.views, s.gained_total \(older) ORDER BY s.post_key, s.t")
        rows.bind(.integer(blogKey), .integer(end))
        let insert = try db.prepare("INSERT INTO sample_blocks(post_key, t0, absent, data) VALUES (?1, ?2, ?3, ?4)")
        var post: Int64 = -1
        var pending: [StoredSample] = []
        func flush() throws {
            guard !pending.isEmpty else { return }
            try writeBlocks(pending, post: post, insert: insert)
            pending.removeAll(keepingCapacity: true)
        }
        while try rows.step() {
            let key = rows.int64(0)
            if key != post {
                try flush()
                post = key
            }
            pending.append(StoredSample(t: rows.int64(1), views: rows.optionalInt64(2), total: rows.int64(3)))
        }
        try flush()
        rows.reset()
        try db.prepare("DELETE \(older)")
            .run(.integer(blogKey), .integer(end))
        // A replay into a sealed day is recognised by rebuilding that snapshot (`storedHash`):
        // ten bytes less per snapshot.
        try db.prepare("DELETE FROM snapshot_hashes WHERE blog_key = ?1 AND t >= ?2 AND t < ?3")
            .run(.integer(blogKey), .integer(from), .integer(end))
    }

    /// Writes one post's samples (time order) as blocks, one UTC day and `samplesPerBlock` at most each.
    private func writeBlocks(_ samples: [StoredSample], post: Int64, insert: Statement) throws {
        var start = 0
        while start < samples.count {
            let day = SampleBlocks.dayStart(samples[start].t)
            var end = start
            while end < samples.count && end - start < SampleBlocks.samplesPerBlock
                && SampleBlocks.dayStart(samples[end].t) == day
            {
                end += 1
            }
            let block = Array(samples[start..<end])
            try insert.run(
                .integer(post), .integer(block[0].t), .integer(block.contains { $0.views == nil } ? 1 : 0),
                .blob(SampleBlocks.encode(block)))
            start = end
        }
    }

    /// Moves the blog's blocks from the UTC day of `time` on back into rows, in the caller's
    /// transaction, so that history from `time` on can be rewritten as rows. Sealing packs
    /// them again later.
    func unseal(blogKey: Int64, from time: Int64) throws {
        let sealed = try sealedUntil(blogKey: blogKey)
        guard time < sealed else { return }
        let day = SampleBlocks.dayStart(time)
        let blocks = try db.prepare(
            """
            SELECT b.post_key, b.t0, b.data FROM posts p
            JOIN sample_blocks b ON b.post_key = p.post_key AND b.t0 >= ?2
            WHERE p.blog_key = ?1
            """)
        blocks.bind(.integer(blogKey), .integer(day))
        var rows: [(Int64, StoredSample)] = []
        while try blocks.step() {
            let post = blocks.int64(0)
            for sample in try SampleBlocks.decode(blocks.blob(2), t0: blocks.int64(1)) { rows.append((post, sample)) }
        }
        blocks.reset()
        for (post, sample) in rows {
            try sql.insertSample.run(
                .integer(post), .integer(sample.t), .optional(sample.views), .integer(sample.total))
        }
        try db.prepare(
            "DELETE FROM sample_blocks WHERE post_key IN (SELECT post_key FROM posts WHERE blog_key = ?1) AND t0 >= ?2"
        ).run(.integer(blogKey), .integer(day))
        try setSealedUntil(blogKey: blogKey, day)
    }

    /// Moves the blocks of the given posts from the UTC day of `time` on back into rows, in the
    /// caller's transaction: a late snapshot rewrites their history from `time` on, and only rows
    /// are rewritten. The blog's other posts stay sealed, and `sealed_until` stays; the next
    /// pass packs these rows again with the day it seals (`seal` takes every row before its end).
    func unseal(posts: Set<Int64>, blogKey: Int64, from time: Int64) throws {
        guard !posts.isEmpty, time < (try sealedUntil(blogKey: blogKey)) else { return }
        let day = SampleBlocks.dayStart(time)
        let blocks = try db.prepare("SELECT t0, data FROM sample_blocks WHERE post_key = ?1 AND t0 >= ?2 ORDER BY t0")
        let delete = try db.prepare("DELETE FROM sample_blocks WHERE post_key = ?1 AND t0 >= ?2")
        for post in posts.sorted() {
            var samples: [StoredSample] = []
            blocks.bind(.integer(post), .integer(day))
            while try blocks.step() { samples += try SampleBlocks.decode(blocks.blob(1), t0: blocks.int64(0)) }
            blocks.reset()
            guard !samples.isEmpty else { continue }
            for sample in samples {
                try sql.insertSample.run(
                    .integer(post), .integer(sample.t), .optional(sample.views), .integer(sample.total))
            }
            try delete.run(.integer(post), .integer(day))
        }
    }

    /// Retention on sealed days: within [from, to) keeps each post's last sample only (none
    /// from blocks when the post also has a row in the period: rows are newer).
    func thinBlocks(blogKey: Int64, from: Int64, to: Int64) throws {
        guard from < (try sealedUntil(blogKey: blogKey)) else { return }
        var hasRows: Set<Int64> = []
        let hot = try db.prepare(
            """
            SELECT DISTINCT s.post_key FROM posts p JOIN samples s ON s.post_key = p.post_key AND s.t >= ?2 AND s.t < ?3
            WHERE p.blog_key = ?1
            """)
        hot.bind(.integer(blogKey), .integer(from), .integer(to))
        while try hot.step() { hasRows.insert(hot.int64(0)) }
        hot.reset()

        let blocks = try db.prepare(
            """
            SELECT b.post_key, b.t0, b.data FROM posts p
            JOIN sample_blocks b ON b.post_key = p.post_key AND b.t0 > ?2 - 86400 AND b.t0 < ?3
            WHERE p.blog_key = ?1 ORDER BY b.post_key, b.t0
            """)
        blocks.bind(.integer(blogKey), .integer(from), .integer(to))
        var found: [(post: Int64, t0: Int64, samples: [StoredSample])] = []
        while try blocks.step() {
            found.append(
                (blocks.int64(0), blocks.int64(1), try SampleBlocks.decode(blocks.blob(2), t0: blocks.int64(1))))
        }
        blocks.reset()

        var keep: [Int64: Int64] = [:]
        for block in found where !hasRows.contains(block.post) {
            for sample in block.samples where sample.t >= from && sample.t < to {
                keep[block.post] = max(keep[block.post] ?? sample.t, sample.t)
            }
        }
        let delete = try db.prepare("DELETE FROM sample_blocks WHERE post_key = ?1 AND t0 = ?2")
        let insert = try db.prepare("INSERT INTO sample_blocks(post_key, t0, absent, data) VALUES (?1, ?2, ?3, ?4)")
        for block in found {
            let kept = block.samples.filter { $0.t < from || $0.t >= to || $0.t == keep[block.post] }
            guard kept.count != block.samples.count else { continue }
            try delete.run(.integer(block.post), .integer(block.t0))
            if !kept.isEmpty { try writeBlocks(kept, post: block.post, insert: insert) }
        }
    }
}
