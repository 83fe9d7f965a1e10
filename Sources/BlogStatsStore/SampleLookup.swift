import BlogStatsSQLite

/// Reads one post's samples wherever they are: its sealed blocks (the older ones) and then its
/// `samples` rows (every one newer than any sealed sample of that post). Point lookups try the
/// rows first and fall back to the newest block before the time asked about.
final class SampleLookup {
    private let hotLast: Statement
    private let blockLast: Statement
    private let hotKnown: Statement
    private let blockKnown: Statement
    private let hotRange: Statement
    private let blockRange: Statement
    private let hotPresentAfter: Statement
    private let blockPresentAfter: Statement
    private let hotAbsent: Statement
    private let blockAbsent: Statement

    init(_ db: Database) throws(SQLiteError) {
        hotLast = try db.prepare(
            "SELECT t, views, gained_total FROM samples WHERE post_key = ?1 AND t < ?2 ORDER BY t DESC LIMIT 1")
        blockLast = try db.prepare(
            """
            SELECT bs_at(data, t0, ?2, 0), bs_at(data, t0, ?2, 1), bs_at(data, t0, ?2, 2)
            FROM sample_blocks WHERE post_key = ?1 AND t0 < ?2 ORDER BY t0 DESC LIMIT 1
            """)
        hotKnown = try db.prepare(
            "SELECT views FROM samples WHERE post_key = ?1 AND t < ?2 AND views IS NOT NULL ORDER BY t DESC LIMIT 1")
        blockKnown = try db.prepare(
            """
            SELECT known FROM (SELECT bs_at(data, t0, ?2, 3) AS known FROM sample_blocks
                WHERE post_key = ?1 AND t0 < ?2 ORDER BY t0 DESC)
            WHERE known IS NOT NULL LIMIT 1
            """)
        hotRange = try db.prepare(
            "SELECT t, views, gained_total FROM samples WHERE post_key = ?1 AND t >= ?2 AND t < ?3 ORDER BY t")
        // A block holds one UTC day at most: one that starts a day or more before `from` ends before it.
        blockRange = try db.prepare(
            "SELECT t0, data FROM sample_blocks WHERE post_key = ?1 AND t0 > ?2 - 86400 AND t0 < ?3 ORDER BY t0")
        hotPresentAfter = try db.prepare(
            "SELECT min(t) FROM samples WHERE post_key = ?1 AND t > ?2 AND views IS NOT NULL")
        blockPresentAfter = try db.prepare(
            """
            SELECT after FROM (SELECT bs_after(data, t0, ?2) AS after FROM sample_blocks
                WHERE post_key = ?1 AND t0 > ?2 - 86400 ORDER BY t0)
            WHERE after IS NOT NULL LIMIT 1
            """)
        hotAbsent = try db.prepare(
            "SELECT t FROM samples INDEXED BY samples_absent WHERE post_key = ?1 AND views IS NULL ORDER BY t")
        blockAbsent = try db.prepare(
            """
            SELECT r.t FROM sample_blocks b INDEXED BY sample_blocks_absent, bs_rows(b.data, b.t0) r
            WHERE b.post_key = ?1 AND b.absent AND r.views IS NULL ORDER BY b.t0, r.t
            """)
    }

    /// The post's last sample before `time`.
    func last(_ post: Int64, before time: Int64) throws(SQLiteError) -> StoredSample? {
        defer { hotLast.reset() }
        if try hotLast.bind(.integer(post), .integer(time)).step() {
            return StoredSample(t: hotLast.int64(0), views: hotLast.optionalInt64(1), total: hotLast.int64(2))
        }
        defer { blockLast.reset() }
        guard try blockLast.bind(.integer(post), .integer(time)).step() else { return nil }
        let views = blockLast.int64(1)
        return StoredSample(t: blockLast.int64(0), views: views >= 0 ? views : nil, total: blockLast.int64(2))
    }

    /// The post's last count before `time` that was not an absence.
    func lastKnown(_ post: Int64, before time: Int64) throws(SQLiteError) -> Int64? {
        defer { hotKnown.reset() }
        if try hotKnown.bind(.integer(post), .integer(time)).step() { return hotKnown.int64(0) }
        defer { blockKnown.reset() }
        return try blockKnown.bind(.integer(post), .integer(time)).step() ? blockKnown.int64(0) : nil
    }

    /// The post's samples in [from, to), in time order.
    func range(_ post: Int64, from: Int64, to: Int64) throws -> [StoredSample] {
        var samples: [StoredSample] = []
        defer { blockRange.reset() }
        blockRange.bind(.integer(post), .integer(from), .integer(to))
        while try blockRange.step() {
            for sample in try SampleBlocks.decode(blockRange.blob(1), t0: blockRange.int64(0))
            where sample.t >= from && sample.t < to {
                samples.append(sample)
            }
        }
        defer { hotRange.reset() }
        hotRange.bind(.integer(post), .integer(from), .integer(to))
        while try hotRange.step() {
            samples.append(
                StoredSample(t: hotRange.int64(0), views: hotRange.optionalInt64(1), total: hotRange.int64(2)))
        }
        return samples
    }

    /// When the post was next present after `time`, if ever.
    func presentAfter(_ post: Int64, after time: Int64) throws(SQLiteError) -> Int64? {
        defer { blockPresentAfter.reset() }
        if try blockPresentAfter.bind(.integer(post), .integer(time)).step() { return blockPresentAfter.int64(0) }
        defer { hotPresentAfter.reset() }
        return try hotPresentAfter.bind(.integer(post), .integer(time)).step() ? hotPresentAfter.optionalInt64(0) : nil
    }

    /// The times the post went missing (its NULL samples), in order.
    func absences(_ post: Int64) throws(SQLiteError) -> [Int64] {
        var times: [Int64] = []
        defer { blockAbsent.reset() }
        blockAbsent.bind(.integer(post))
        while try blockAbsent.step() { times.append(blockAbsent.int64(0)) }
        defer { hotAbsent.reset() }
        hotAbsent.bind(.integer(post))
        while try hotAbsent.step() { times.append(hotAbsent.int64(0)) }
        return times
    }
}
