import BlogStatsSQLite

/// The writer's side of the InfluxDB mirror's outbox: rows leave only once InfluxDB took them.
extension StoreEngine {
    /// Turns the outbox on or off. On, samples and names get an index by time, through which
    /// the sender finds what changed between two snapshots; off, the indexes go, so a store
    /// without the mirror pays nothing for them (in ingest time or disk).
    func setOutbox(_ on: Bool) throws(StoreError) {
        do {
            if on {
                try db.execute(
                    """
                    CREATE INDEX IF NOT EXISTS samples_by_time ON samples(t);
                    CREATE INDEX IF NOT EXISTS names_by_time ON names(t);
                    """)
            } else {
                try db.execute("DROP INDEX IF EXISTS samples_by_time; DROP INDEX IF EXISTS names_by_time;")
            }
            outbox = on
        } catch {
            throw StoreError(error)
        }
    }

    /// Deletes delivered entries, each only if it was not replaced since it was read.
    func removeFromOutbox(_ entries: [OutboxEntry]) throws(StoreError) {
        do {
            try db.transaction {
                let delete = try db.prepare("DELETE FROM outbox WHERE blog_key = ?1 AND t = ?2 AND seq = ?3")
                for entry in entries {
                    try delete.run(.integer(entry.blogKey), .integer(entry.capturedAt), .integer(entry.seq))
                }
            }
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch {
            throw StoreError.failed("\(error)")
        }
    }

    /// Keeps an entry InfluxDB refused for good, with the reason; it is not sent again.
    func park(_ entry: OutboxEntry, reason: String) throws(StoreError) {
        do {
            try db.prepare("UPDATE outbox SET parked = ?4 WHERE blog_key = ?1 AND t = ?2 AND seq = ?3")
                .run(.integer(entry.blogKey), .integer(entry.capturedAt), .integer(entry.seq), .text(reason))
        } catch {
            throw StoreError(error)
        }
    }

    /// The oldest snapshot of a blog the mirror still has to send: retention must not thin it.
    func oldestPending(blogKey: Int64) throws(StoreError) -> Int64? {
        do {
            let query = try db.prepare("SELECT min(t) FROM outbox WHERE blog_key = ?1 AND parked IS NULL")
            return try query.bind(.integer(blogKey)).step() ? query.optionalInt64(0) : nil
        } catch {
            throw StoreError(error)
        }
    }
}
