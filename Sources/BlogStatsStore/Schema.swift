import BlogStatsSQLite

/// The store's tables, versioned with `PRAGMA user_version` and migrated step by step on open.
enum Schema {
    /// Step N takes a database from user_version N-1 to N.
    static let migrations: [String] = [
        // 1: posts keyed by (blog, id); change-only samples (views NULL: the post was absent
        // from that snapshot); change-only slug/title history; one record per snapshot.
        """
        CREATE TABLE blogs(
            blog_key INTEGER PRIMARY KEY,
            name TEXT NOT NULL UNIQUE);
        CREATE TABLE posts(
            post_key INTEGER PRIMARY KEY,
            blog_key INTEGER NOT NULL REFERENCES blogs(blog_key),
            id TEXT NOT NULL,
            first_seen INTEGER NOT NULL,
            UNIQUE(blog_key, id));
        CREATE TABLE snapshots(
            blog_key INTEGER NOT NULL REFERENCES blogs(blog_key),
            t INTEGER NOT NULL,
            rows INTEGER NOT NULL,
            total_views INTEGER NOT NULL,
            gained INTEGER NOT NULL,
            PRIMARY KEY(blog_key, t)) WITHOUT ROWID;
        CREATE TABLE samples(
            post_key INTEGER NOT NULL,
            t INTEGER NOT NULL,
            views INTEGER,
            PRIMARY KEY(post_key, t)) WITHOUT ROWID;
        CREATE TABLE names(
            post_key INTEGER NOT NULL,
            t INTEGER NOT NULL,
            slug TEXT NOT NULL,
            title TEXT NOT NULL,
            PRIMARY KEY(post_key, t)) WITHOUT ROWID;
        """,
        // 2: a content hash per snapshot, so a replay at the same capture time is recognised
        // without rebuilding the snapshot. Snapshots stored before have NULL and are rebuilt
        // from samples when needed.
        """
        ALTER TABLE snapshots ADD COLUMN content_hash INTEGER;
        """,
        // 3: running totals of gains, so the views of any window are the difference of two
        // values found by one index seek each (a post: its samples; a blog: its snapshots).
        // A sample's gain is its rise over the post's last known count (0 for a post in its
        // blog's first snapshot, the whole count for a post that appears later).
        """
        ALTER TABLE snapshots ADD COLUMN gained_total INTEGER NOT NULL DEFAULT 0;
        ALTER TABLE samples ADD COLUMN gained_total INTEGER NOT NULL DEFAULT 0;
        UPDATE snapshots SET gained_total = running.total FROM (
            SELECT blog_key, t, sum(gained) OVER (PARTITION BY blog_key ORDER BY t) AS total FROM snapshots
        ) AS running
        WHERE snapshots.blog_key = running.blog_key AND snapshots.t = running.t;
        UPDATE samples SET gained_total = running.total FROM (
            SELECT post_key, t, sum(gain) OVER (PARTITION BY post_key ORDER BY t) AS total FROM (
                SELECT s.post_key, s.t,
                    CASE
                        WHEN s.views IS NULL THEN 0
                        WHEN base.views IS NOT NULL THEN max(0, s.views - base.views)
                        WHEN s.t = (SELECT min(f.t) FROM snapshots f WHERE f.blog_key = p.blog_key) THEN 0
                        ELSE s.views
                    END AS gain
                FROM samples s
                JOIN posts p USING (post_key)
                LEFT JOIN samples base ON base.post_key = s.post_key AND base.t = (
                    SELECT max(k.t) FROM samples k WHERE k.post_key = s.post_key AND k.t < s.t AND k.views IS NOT NULL)
            )
        ) AS running
        WHERE samples.post_key = running.post_key AND samples.t = running.t;
        """,
        // 4: the times a post went missing, found without reading its whole history.
        """
        CREATE INDEX samples_absent ON samples(post_key, t) WHERE views IS NULL;
        """,
        // 5: how far retention has thinned each blog: to hours before `hours_until`, to days
        // before `days_until`.
        """
        CREATE TABLE retention(
            blog_key INTEGER PRIMARY KEY REFERENCES blogs(blog_key),
            hours_until INTEGER NOT NULL DEFAULT 0,
            days_until INTEGER NOT NULL DEFAULT 0);
        """,
        // 6: the InfluxDB mirror's outbox, one row per accepted snapshot (`seq` moves when a
        // snapshot is replaced, `parked` says why InfluxDB refused it for good). The indexes
        // the mirror reads through exist only while it is on (`StoreEngine.setOutbox`).
        """
        CREATE TABLE outbox(
            blog_key INTEGER NOT NULL REFERENCES blogs(blog_key),
            t INTEGER NOT NULL,
            seq INTEGER NOT NULL DEFAULT 0,
            parked TEXT,
            PRIMARY KEY(blog_key, t)) WITHOUT ROWID;
        """,
        // 7: sealed days. A closed UTC day's samples of each post move from `samples` into
        // packed blocks (`SampleBlocks`, at most `SampleBlocks.samplesPerBlock` samples each,
        // keyed by their first time); `sealed_until` says where a blog's blocks end and its
        // `samples` rows begin. `absent`: the block holds a NULL sample.
        """
        CREATE TABLE sample_blocks(
            post_key INTEGER NOT NULL,
            t0 INTEGER NOT NULL,
            absent INTEGER NOT NULL,
            data BLOB NOT NULL,
            PRIMARY KEY(post_key, t0)) WITHOUT ROWID;
        CREATE INDEX sample_blocks_absent ON sample_blocks(post_key, t0) WHERE absent;
        ALTER TABLE retention ADD COLUMN sealed_until INTEGER NOT NULL DEFAULT 0;
        """,
        // 8: content hashes in a table of their own. Sealing drops a closed day's hashes (a
        // replay into it is recognised by rebuilding the snapshot); deleting whole rows frees
        // whole pages, where clearing a column left every `snapshots` page a quarter empty.
        """
        CREATE TABLE snapshot_hashes(
            blog_key INTEGER NOT NULL,
            t INTEGER NOT NULL,
            hash INTEGER NOT NULL,
            PRIMARY KEY(blog_key, t)) WITHOUT ROWID;
        INSERT INTO snapshot_hashes SELECT blog_key, t, content_hash FROM snapshots WHERE content_hash IS NOT NULL;
        ALTER TABLE snapshots DROP COLUMN content_hash;
        """,
    ]

    static var currentVersion: Int64 { Int64(migrations.count) }

    /// Brings the database to the current version, one transaction per step.
    static func migrate(_ database: Database, upTo target: Int64 = currentVersion) throws(StoreError) {
        do {
            let version = try database.integer("PRAGMA user_version")
            guard version <= currentVersion else {
                throw StoreError.failed(
                    "the store was written by a newer blogstats (schema version \(version), this one knows \(currentVersion))"
                )
            }
            guard version < target else { return }
            for step in Int(version)..<Int(target) {
                try database.transaction {
                    try database.execute(migrations[step])
                    try database.execute("PRAGMA user_version = \(step + 1)")
                }
            }
        } catch let error as SQLiteError {
            throw StoreError(error)
        } catch let error as StoreError {
            throw error
        } catch {
            throw StoreError.failed("\(error)")
        }
    }
}
