import BlogStatsSQLite

extension QueryEngine {
    func outboxDepth() throws(StoreError) -> OutboxDepth {
        do {
            var depth = OutboxDepth()
            let pending = try db.prepare(
                """
                SELECT count(*), coalesce(sum(s.rows), 0), min(o.t) FROM outbox o
                LEFT JOIN snapshots s ON s.blog_key = o.blog_key AND s.t = o.t WHERE o.parked IS NULL
                """)
            if try pending.step() {
                depth.pendingSnapshots = pending.int64(0)
                depth.pendingRows = pending.int64(1)
                depth.oldestPending = pending.optionalInt64(2)
            }
            depth.parked = try db.integer("SELECT count(*) FROM outbox WHERE parked IS NOT NULL")
            return depth
        } catch {
            throw StoreError(error)
        }
    }

    func parkedEntries(limit: Int) throws(StoreError) -> [ParkedEntry] {
        do {
            let query = try db.prepare(
                """
                SELECT b.name, o.t, o.parked FROM outbox o JOIN blogs b USING (blog_key)
                WHERE o.parked IS NOT NULL ORDER BY o.t DESC LIMIT ?1
                """)
            query.bind(.integer(Int64(limit)))
            var entries: [ParkedEntry] = []
            while try query.step() {
                entries.append(ParkedEntry(blog: query.text(0), capturedAt: query.int64(1), reason: query.text(2)))
            }
            return entries
        } catch {
            throw StoreError(error)
        }
    }
}
